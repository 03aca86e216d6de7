import { describe, expect, it } from 'vitest';
import { buildTestFirmware } from './index';
import { connect, hex, reconnect, sha256, start } from './simulator-test-kit';

describe('flashing a simulated terminal over TCP', () => {
  it('writes, hashes, activates, reboots into and confirms the new slot', async () => {
    const terminal = await start();
    expect(terminal.address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const image = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B02', payloadBytes: 1_000_000 });
    const slotABefore = await terminal.readSlot('a');

    const driver = await connect(terminal.address);
    const before = await driver.identify();
    expect(before).toMatchObject({ model: 'MF286D', hwRevision: 'V1.0', serial: terminal.serial, activeSlot: 'a', firmwareVersion: 'B01', agentVersion: 2 });
    expect(before.slots.b.state).toBe('empty');

    const progress: number[] = [];
    await driver.writeSlot('b', image, { onProgress: (n) => progress.push(n) });
    expect(progress.at(-1)).toBe(image.length);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(hex(await driver.hashSlot('b', image.length))).toBe(sha256(image));
    await driver.setActive('b');
    expect((await driver.identify()).slots.b).toEqual({ version: 'B02', state: 'pending', triesLeft: 3 });
    await driver.reboot();

    const after = await reconnect(terminal.address);
    expect(await after.identify()).toMatchObject({ activeSlot: 'b', firmwareVersion: 'B02', slots: { b: { state: 'pending', triesLeft: 2 } } });
    await after.confirm();
    const confirmed = await after.identify();
    expect(confirmed.slots).toEqual({ a: { version: 'B01', state: 'good', triesLeft: 3 }, b: { version: 'B02', state: 'good', triesLeft: 3 } });
    expect(sha256(await terminal.readSlot('a'))).toBe(sha256(slotABefore));
    expect(sha256(await terminal.readSlot('b'))).toBe(sha256(image));

    const log = await after.readLog();
    expect(log.some((l) => /write of slot b complete/.test(l))).toBe(true);
    expect(log.some((l) => /running slot b version B02/.test(l))).toBe(true);
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'b', payloadBytesReceived: image.length });
  });
});
