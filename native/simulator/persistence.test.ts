import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { E } from '../../electron/shared/errors';
import { buildTestFirmware, startSimulatedTerminal } from './index';
import { BOOT_MS, cleanups, codeOf, connect, sha256, tempDir } from './simulator-test-kit';

describe('simulated terminal state', () => {
  it('survives a restart: same serial, slots, versions and log', async () => {
    const stateDir = await tempDir();
    const image = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B07', payloadBytes: 50_000 });
    const first = await startSimulatedTerminal({ stateDir, bootMs: BOOT_MS, serial: 'ZTE0001' });
    const driver = await connect(first.address);
    await driver.writeSlot('b', image);
    await driver.setActive('b');
    await driver.close();
    await first.close();

    // Powered on again: the pending slot b boots (one try used) with the options of a new terminal ignored.
    const second = await startSimulatedTerminal({ stateDir, bootMs: BOOT_MS, serial: 'OTHER', version: 'B99' });
    cleanups.push(() => second.close());
    expect(second.serial).toBe('ZTE0001');
    const state = second.inspect();
    expect(state.activeSlot).toBe('b');
    expect(state.slots).toEqual({ a: { version: 'B01', state: 'good', triesLeft: 3 }, b: { version: 'B07', state: 'pending', triesLeft: 2 } });
    expect(sha256(await second.readSlot('b'))).toBe(sha256(image));
    expect(state.log.filter((l) => /power on/.test(l))).toHaveLength(2);
  });

  it('refuses a damaged state file with BAD_CONFIG instead of starting blank', async () => {
    const stateDir = await tempDir();
    await writeFile(path.join(stateDir, 'state.json'), '{"format":1,"serial":"x"}');
    expect(await codeOf(startSimulatedTerminal({ stateDir, bootMs: BOOT_MS }))).toBe(E.BAD_CONFIG.code);
  });

  it('refuses impossible options with BAD_ARGUMENTS', async () => {
    const stateDir = await tempDir();
    expect(await codeOf(startSimulatedTerminal({ stateDir, slotSize: 10 }))).toBe('ZUC-1013');
    expect(await codeOf(startSimulatedTerminal({ stateDir, maxTries: 0 }))).toBe('ZUC-1013');
    expect(await codeOf(startSimulatedTerminal({ stateDir, model: 'M'.repeat(40) }))).toBe('ZUC-1013');
  });
});
