import { describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import { trustDirWith } from '../../engine/image/package-test-kit';
import { generateKeyPair } from '../../engine/package';
import { tempDir } from '../../engine/test-kit';
import type { UpdateReport } from '../../engine/update';
import { addFleetPackage, FLEET_MODELS } from '../../engine/update/fleet-fixtures';
import { fleetLibrary, publisher, startFleet } from '../../engine/update/update-test-kit';
import { zuc } from './cli-test-kit';

describe('zuc update with packages the console would refuse', () => {
  it('installs the trusted B03 rather than a newer B04 signed by an unknown key, and says B04 was skipped', async () => {
    const library = await fleetLibrary();
    const untrusted = await addFleetPackage(library.dir, FLEET_MODELS[0]!, 'B04', [generateKeyPair()]);
    const [member] = await startFleet(1, ['B01']);
    const args = ['update', '--library', library.dir, '--trust', await trustDirWith(publisher), member!.terminal.address];

    const json = await zuc([...args, '--json'], { dataDir: await tempDir() });
    expect(json.status, json.stderr).toBe(0);
    const [report] = JSON.parse(json.stdout) as UpdateReport[];
    expect(report).toMatchObject({ result: 'success', toVersion: 'B03', package: library.fullId('MF286D') });
    expect(report!.skipped).toEqual([expect.objectContaining({ packageId: untrusted, version: 'B04', signature: 'untrusted', error: expect.objectContaining({ code: E.PACKAGE_UNTRUSTED_KEY.code }) })]);

    // Run again from B03: B04 is still the only newer package, so there is nothing this console would install.
    const text = await zuc(args, { dataDir: await tempDir() });
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(`code ${E.PACKAGE_UNTRUSTED_KEY.code}`);
    expect(text.stdout).toContain(`skipped B04 (${untrusted}): untrusted, ${E.PACKAGE_UNTRUSTED_KEY.code}`);
    expect(member!.terminal.inspect().slots[member!.terminal.inspect().activeSlot].version).toBe('B03');
  });

  it('with --allow-unsigned (development only) installs the newer untrusted B04, warning loudly', async () => {
    const library = await fleetLibrary();
    const untrusted = await addFleetPackage(library.dir, FLEET_MODELS[0]!, 'B04', [generateKeyPair()]);
    const [member] = await startFleet(1, ['B01']);
    const run = await zuc(['update', '--library', library.dir, '--trust', await trustDirWith(publisher), '--allow-unsigned', '--json', member!.terminal.address], { dataDir: await tempDir() });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('WARNING: --allow-unsigned is for development only');
    const [report] = JSON.parse(run.stdout) as UpdateReport[];
    expect(report).toMatchObject({ result: 'success', toVersion: 'B04', package: untrusted });
    expect(member!.terminal.inspect().slots[member!.terminal.inspect().activeSlot].version).toBe('B04');
  });
});
