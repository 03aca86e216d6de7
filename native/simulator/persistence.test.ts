import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { E } from '../../electron/shared/errors';
import { buildTestFirmware, startSimulatedTerminal } from './index';
import { BOOT_MS, cleanups, codeOf, connect, hex, sha256, start, tempDir } from './simulator-test-kit';

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

  it('a new write erases the slot: an abandoned one leaves only its own bytes, the rest reads erased (0xFF)', async () => {
    const terminal = await start();
    const old = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B02', payloadBytes: 3_000_000 });
    await (await connect(terminal.address)).writeSlot('b', old);
    const next = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B03', payloadBytes: 3_000_000 });
    const stop = new AbortController();
    const second = await connect(terminal.address);
    const abandoned = second.writeSlot('b', next, { signal: stop.signal, onProgress: (n) => n >= 200_000 && stop.abort() });
    expect(await codeOf(abandoned)).toBe(E.CANCELLED.code);
    await second.close();
    await expect.poll(() => terminal.inspect().log.some((l) => /write of slot b aborted/.test(l))).toBe(true);

    const stored = await terminal.readSlot('b');
    expect(stored.length).toBeGreaterThanOrEqual(200_000);
    expect(stored.length).toBeLessThan(next.length);
    expect(sha256(stored)).toBe(sha256(next.subarray(0, stored.length)));
    // Nothing of the old image survives past the new bytes: the terminal hashes erased flash there.
    const erased = new Uint8Array(old.length).fill(0xff);
    erased.set(stored);
    expect(hex(await (await connect(terminal.address)).hashSlot('b', old.length))).toBe(sha256(erased));
  });
});
