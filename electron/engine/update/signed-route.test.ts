import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UpdateReportView } from '../../shared/contract';
import { E } from '../../shared/errors';
import { trustDirWith } from '../image/package-test-kit';
import { generateKeyPair, REVOCATION_LIST_FILE, type SigningKey } from '../package';
import type { Engine } from '../service/engine';
import { startEngine, tempDir } from '../test-kit';
import { addFleetPackage, FLEET_MODELS } from './fleet-fixtures';
import { fleetLibrary, publisher, startFleet } from './update-test-kit';

const MF286D = FLEET_MODELS[0]!;
const stranger = generateKeyPair();

function addPackage(dir: string, version: string, keys: readonly SigningKey[], tag = ''): Promise<string> {
  return addFleetPackage(dir, MF286D, version, keys, tag);
}

/** The fleet library (publisher-signed B01, B02, B03 and a delta) plus newer packages this console should not install. */
async function mixedLibrary() {
  const library = await fleetLibrary();
  const untrusted = await addPackage(library.dir, 'B04', [stranger]);
  const unsigned = await addPackage(library.dir, 'B05', []);
  return { library, untrusted, unsigned };
}

async function engineWith(folder: string, options: { allowUnsigned?: boolean; trust?: string } = {}): Promise<Engine> {
  const engine = await startEngine({ dataDir: await tempDir('zuc-update-data-'), trustStoreDir: options.trust ?? (await trustDirWith(publisher)), allowUnsignedPackages: options.allowUnsigned ?? false });
  await engine.updateSettings({ sources: [{ kind: 'library', folder }] });
  return engine;
}

function nextReport(engine: Engine): Promise<UpdateReportView> {
  return new Promise((resolve) => engine.onUpdateReport(resolve));
}

describe('update routes offer only packages the trust store accepts', () => {
  it('offers the trusted B03 over a newer untrusted B04 and unsigned B05, says why those two were skipped, and installs B03', async () => {
    const { library, untrusted, unsigned } = await mixedLibrary();
    // Below the route: skipped too, but not worth a note on screen (the job log still has it).
    const olderRebuild = await addPackage(library.dir, 'B02', [stranger], '-rebuild');
    const [member] = await startFleet(1, ['B01']);
    const engine = await engineWith(library.dir);

    const check = await engine.checkForUpdates({ address: member!.terminal.address });
    expect(check.route).toMatchObject({ packageId: library.fullId('MF286D'), version: 'B03', delta: false });
    // Still listed among the offers: the source does hold them.
    expect(check.offers.map((o) => o.version)).toEqual(expect.arrayContaining(['B04', 'B05']));
    expect(check.skipped.map((s) => [s.packageId, s.version, s.signature, s.error.code])).toEqual([
      [unsigned, 'B05', 'unsigned', E.PACKAGE_UNSIGNED.code],
      [untrusted, 'B04', 'untrusted', E.PACKAGE_UNTRUSTED_KEY.code],
    ]);
    expect(check.skipped[1]!.error.detail).toContain(stranger.keyId);

    const done = nextReport(engine);
    await engine.startUpdate({ addresses: [member!.terminal.address] });
    const report = await done;
    expect(report).toMatchObject({ result: 'success', code: E.SUCCESS.code, toVersion: 'B03', package: library.fullId('MF286D') });
    expect(report.skipped?.map((s) => s.version)).toEqual(['B05', 'B04']);
    const state = member!.terminal.inspect();
    expect(state.slots[state.activeSlot].version).toBe('B03');
    const log = await engine.getJobLog({ jobId: report.jobId });
    expect(log.filter((l) => l.level === 'warn' && l.message.startsWith('skipped')).map((l) => l.message)).toEqual([
      expect.stringContaining(`${unsigned} (full B05`),
      expect.stringContaining(`${untrusted} (full B04`),
      expect.stringContaining(`${olderRebuild} (full B02`),
    ]);
  });

  it('with the development flag offers and installs the newest, unsigned package; a revoked key stays skipped', async () => {
    const { library, unsigned } = await mixedLibrary();
    const retired = generateKeyPair();
    const revokedId = await addPackage(library.dir, 'B06', [retired]);
    const trust = await trustDirWith(publisher, retired);
    await writeFile(path.join(trust, REVOCATION_LIST_FILE), `${retired.keyId}\n`);
    const [member] = await startFleet(1, ['B01']);
    const engine = await engineWith(library.dir, { allowUnsigned: true, trust });

    const check = await engine.checkForUpdates({ address: member!.terminal.address });
    expect(check.route).toMatchObject({ packageId: unsigned, version: 'B05' });
    expect(check.skipped.map((s) => [s.packageId, s.signature, s.error.code])).toEqual([[revokedId, 'revoked', E.PACKAGE_KEY_REVOKED.code]]);

    const done = nextReport(engine);
    await engine.startUpdate({ addresses: [member!.terminal.address] });
    expect(await done).toMatchObject({ result: 'success', toVersion: 'B05', package: unsigned });
  });

  it('a damaged newer package is skipped as invalid', async () => {
    const library = await fleetLibrary();
    const file = path.join(library.dir, 'MF286D_B04.zup');
    const id = await addPackage(library.dir, 'B04', [publisher]);
    const bytes = await readFile(file);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0x01;
    await writeFile(file, bytes);
    const [member] = await startFleet(1, ['B02']);
    const engine = await engineWith(library.dir);

    const check = await engine.checkForUpdates({ address: member!.terminal.address });
    expect(check.route).toMatchObject({ packageId: library.deltaId('MF286D'), version: 'B03', delta: true });
    expect(check.skipped.map((s) => [s.packageId, s.signature, s.error.code])).toEqual([[id, 'invalid', E.PACKAGE_PAYLOAD_CORRUPT.code]]);
  });

  it('when every newer package is refused, the update ends with the refusal\'s code and writes nothing', async () => {
    const library = await fleetLibrary();
    const [member] = await startFleet(1, ['B01']);
    // The trust store knows only a stranger: the whole publisher-signed library is untrusted.
    const engine = await engineWith(library.dir, { trust: await trustDirWith(stranger) });

    const check = await engine.checkForUpdates({ address: member!.terminal.address });
    expect(check.route).toBeNull();
    expect(check.skipped.map((s) => s.version)).toEqual(['B03', 'B02']);

    const done = nextReport(engine);
    await engine.startUpdate({ addresses: [member!.terminal.address] });
    const report = await done;
    expect(report).toMatchObject({ result: 'failed', code: E.PACKAGE_UNTRUSTED_KEY.code });
    expect(report.error?.detail).toContain('no update this console would install');
    expect(member!.terminal.inspect().payloadBytesReceived).toBe(0);
  });
});
