import { describe, expect, it } from 'vitest';
import { createAgentClient } from '../protocol/agent';
import { openLink } from '../transport';
import { buildTestFirmware, parseFaultSpec } from './index';
import { cleanups, codeOf, connect, hex, reconnect, sha256, start } from './simulator-test-kit';

const image = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B02', payloadBytes: 300_000 });

describe('parseFaultSpec', () => {
  it('reads the three fault kinds', () => {
    expect(parseFaultSpec('boot-fail')).toEqual({ kind: 'boot-fail' });
    expect(parseFaultSpec('corrupt-write')).toEqual({ kind: 'corrupt-write' });
    expect(parseFaultSpec('disconnect@65536')).toEqual({ kind: 'disconnect', afterBytes: 65536 });
    expect(parseFaultSpec('disconnect@64k')).toEqual({ kind: 'disconnect', afterBytes: 65536 });
  });

  it('reads the v2 faults: a cut at a share of the write, a corrupted delta result', () => {
    expect(parseFaultSpec('disconnect@50%')).toEqual({ kind: 'disconnect-at', percent: 50 });
    expect(parseFaultSpec('disconnect@99.5%')).toEqual({ kind: 'disconnect-at', percent: 99.5 });
    expect(parseFaultSpec('delta-corrupt')).toEqual({ kind: 'delta-corrupt' });
  });

  it('reads the faults behind a refused rollback and a wrong version after boot', () => {
    expect(parseFaultSpec('bit-rot@a')).toEqual({ kind: 'bit-rot', slot: 'a' });
    expect(parseFaultSpec(' bit-rot@b ')).toEqual({ kind: 'bit-rot', slot: 'b' });
    expect(parseFaultSpec('stale-version')).toEqual({ kind: 'stale-version' });
  });

  it('refuses anything else with BAD_ARGUMENTS', async () => {
    for (const spec of ['', 'boot', 'disconnect', 'disconnect@', 'disconnect@-1', 'disconnect@1.5', 'corrupt-write@3', 'disconnect@0%', 'disconnect@100%', 'disconnect@%', 'delta-corrupt@1', 'bit-rot', 'bit-rot@c', 'bit-rot@ab', 'stale-version@1']) {
      expect(await codeOf(Promise.resolve().then(() => parseFaultSpec(spec))), spec).toBe('ZUC-1013');
    }
  });
});

describe('simulated terminal faults', () => {
  it('boot-fail: the new slot uses up its tries and the terminal comes back on the old one', async () => {
    const terminal = await start({ faults: [{ kind: 'boot-fail' }] });
    const driver = await connect(terminal.address);
    await driver.writeSlot('b', image);
    await driver.setActive('b');
    await driver.reboot();
    const after = await reconnect(terminal.address);
    const id = await after.identify();
    expect(id).toMatchObject({ activeSlot: 'a', firmwareVersion: 'B01' });
    expect(id.slots.b).toEqual({ version: 'B02', state: 'unbootable', triesLeft: 0 });
    expect(id.slots.a.state).toBe('good');
    const log = await after.readLog();
    expect(log.filter((l) => /kernel panic/.test(l))).toHaveLength(3);
    expect(log.at(-1)).toMatch(/running slot a version B01/);
  });

  it('corrupt-write: the read-back hash differs, and the image would not boot', async () => {
    const terminal = await start({ faults: [{ kind: 'corrupt-write' }] });
    const slotA = sha256(await terminal.readSlot('a'));
    const driver = await connect(terminal.address);
    await driver.writeSlot('b', image);
    expect(hex(await driver.hashSlot('b', image.length))).not.toBe(sha256(image));
    expect(sha256(await terminal.readSlot('a'))).toBe(slotA);
    // Activated anyway, the bootloader's image check refuses it and stays on a.
    await driver.setActive('b');
    await driver.reboot();
    const id = await (await reconnect(terminal.address)).identify();
    expect(id).toMatchObject({ activeSlot: 'a', slots: { b: { state: 'unbootable' } } });
    expect(terminal.inspect().log.some((l) => /slot b image check failed/.test(l))).toBe(true);
  });

  it('disconnect@BYTES: the link drops mid-write, once; the old slot still boots', async () => {
    const terminal = await start({ faults: [{ kind: 'disconnect', afterBytes: 100_000 }] });
    const slotA = sha256(await terminal.readSlot('a'));
    const driver = await connect(terminal.address);
    let progress = 0;
    expect(await codeOf(driver.writeSlot('b', image, { onProgress: (n) => (progress = n) }))).toBe('ZUC-2002');
    expect(progress).toBeLessThanOrEqual(100_000);
    expect(terminal.inspect().payloadBytesReceived).toBe(100_000);
    expect(terminal.inspect().slots.b.state).toBe('unbootable');

    const again = await reconnect(terminal.address);
    expect(await codeOf(again.setActive('a'))).toBeUndefined();
    await again.reboot();
    const id = await (await reconnect(terminal.address)).identify();
    expect(id).toMatchObject({ activeSlot: 'a', firmwareVersion: 'B01', slots: { a: { state: 'good' } } });
    expect(sha256(await terminal.readSlot('a'))).toBe(slotA);

    // The fault struck once: a second attempt goes through.
    const retry = await reconnect(terminal.address);
    await retry.writeSlot('b', image);
    expect(hex(await retry.hashSlot('b', image.length))).toBe(sha256(image));
  });

  it('disconnect@BYTES on a serial line: the terminal goes deaf, the write times out, the line recovers', async () => {
    const terminal = await start({ transport: 'pty', faults: [{ kind: 'disconnect', afterBytes: 70_000 }] });
    const client = createAgentClient(await openLink(terminal.address), { writeAckTimeoutMs: 1000 });
    cleanups.push(() => client.close());
    expect(await codeOf(client.writeSlot('b', image))).toBe('ZUC-2003');
    expect(terminal.inspect()).toMatchObject({ payloadBytesReceived: 70_000, activeSlot: 'a', slots: { b: { state: 'unbootable' } } });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await client.identify()).toMatchObject({ activeSlot: 'a', firmwareVersion: 'B01' });
  });

  it('bit-rot@a: after the first reboot slot a still reads good, but the bootloader refuses it and comes back on b', async () => {
    const terminal = await start({ faults: [parseFaultSpec('bit-rot@a')] });
    const slotA = await terminal.readSlot('a');
    const driver = await connect(terminal.address);
    await driver.writeSlot('b', image);
    await driver.setActive('b');
    await driver.reboot();
    const onB = await reconnect(terminal.address);
    expect(await onB.identify()).toMatchObject({ activeSlot: 'b', slots: { a: { state: 'good', version: 'B01' } } });
    const rotted = await terminal.readSlot('a');
    expect(rotted.length).toBe(slotA.length);
    expect(rotted.filter((byte, i) => byte !== slotA[i])).toHaveLength(1);

    // Switching back to a (a rollback): the image check fails, b boots again.
    await onB.confirm();
    await onB.setActive('a');
    await onB.reboot();
    const id = await (await reconnect(terminal.address)).identify();
    expect(id).toMatchObject({ activeSlot: 'b', firmwareVersion: 'B02', slots: { a: { state: 'unbootable' } } });
    expect(terminal.inspect().log.some((l) => /slot a image check failed/.test(l))).toBe(true);
  });

  it('stale-version: the new slot boots but reports the old version until it is confirmed', async () => {
    const terminal = await start({ faults: [parseFaultSpec('stale-version')] });
    const driver = await connect(terminal.address);
    await driver.writeSlot('b', image);
    await driver.setActive('b');
    await driver.reboot();
    const after = await reconnect(terminal.address);
    expect(await after.identify()).toMatchObject({ activeSlot: 'b', firmwareVersion: 'B01', slots: { b: { state: 'pending', version: 'B01' } } });
    await after.confirm();
    expect(await after.identify()).toMatchObject({ activeSlot: 'b', firmwareVersion: 'B02' });
  });

  it('the bootloader checks the hardware revision too: an image of the same model for another board does not boot', async () => {
    const terminal = await start();
    const otherBoard = buildTestFirmware({ model: 'MF286D', hwRevision: 'V2.0', version: 'B02', payloadBytes: 50_000 });
    const driver = await connect(terminal.address);
    await driver.writeSlot('b', otherBoard);
    await driver.setActive('b');
    await driver.reboot();
    const id = await (await reconnect(terminal.address)).identify();
    expect(id).toMatchObject({ activeSlot: 'a', firmwareVersion: 'B01', slots: { b: { state: 'unbootable' } } });
    expect(terminal.inspect().log.some((l) => /image for hardware revision V2.0, terminal is V1.0/.test(l))).toBe(true);
  });
});
