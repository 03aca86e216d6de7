import { describe, expect, it } from 'vitest';
import { connectAgent } from '../protocol/agent';
import { buildTestFirmware } from './index';
import { BOOT_MS, codeOf, hex, reconnect, sha256, start } from './simulator-test-kit';

describe('flashing a simulated terminal over a real socat PTY pair', () => {
  it('writes, reboots (skipping the boot banner), reconnects and confirms over serial', async () => {
    const terminal = await start({ transport: 'pty' });
    expect(terminal.address).toMatch(/\/ttyZTE0$/);
    const image = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B03', payloadBytes: 400_000 });

    const driver = await connectAgent(terminal.address);
    // The port is locked while open: a second program cannot talk over the first.
    expect(await codeOf(connectAgent(terminal.address))).toBe('ZUC-2004');
    expect(await driver.identify()).toMatchObject({ activeSlot: 'a', firmwareVersion: 'B01', serial: terminal.serial });
    let progress = 0;
    await driver.writeSlot('b', image, { onProgress: (n) => (progress = n) });
    expect(progress).toBe(image.length);
    expect(hex(await driver.hashSlot('b', image.length))).toBe(sha256(image));
    await driver.setActive('b');
    await driver.reboot();
    await driver.close();
    // Let the boot finish first, so the banner waits in the line ahead of the answer to IDENTIFY.
    await new Promise((resolve) => setTimeout(resolve, 3 * BOOT_MS));

    const after = await reconnect(terminal.address);
    expect(await after.identify()).toMatchObject({ activeSlot: 'b', firmwareVersion: 'B03', slots: { b: { state: 'pending' } } });
    await after.confirm();
    expect((await after.identify()).slots.b.state).toBe('good');
    expect(terminal.inspect().log.some((l) => /running slot b version B03/.test(l))).toBe(true);
  });

  it('paces the link like a UART when asked to', async () => {
    const terminal = await start({ transport: 'pty', linkBytesPerSecond: 100_000 });
    const image = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B04', payloadBytes: 50_000 });
    const driver = await reconnect(terminal.address);
    const started = performance.now();
    await driver.writeSlot('b', image);
    expect(performance.now() - started).toBeGreaterThan(400);
    expect(hex(await driver.hashSlot('b', image.length))).toBe(sha256(image));
  });
});
