import { describe, expect, it } from 'vitest';
import { E } from '../../electron/shared/errors';
import { createAgentClient, DEFAULT_CHUNK_BYTES, FAST_LINK_CHUNK_BYTES } from '../protocol/agent';
import { openLink } from '../transport/open-link';
import { buildTestFirmware, startSimulatedTerminal } from './index';
import { BOOT_MS, cleanups, codeOf, connect, hex, reconnect, sha256, start, tempDir } from './simulator-test-kit';

const IMAGE = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B02', payloadBytes: 1_000_000 });

async function client(address: string, options: Parameters<typeof createAgentClient>[1] = {}) {
  const c = createAgentClient(await openLink(address), options);
  cleanups.push(() => c.close());
  return c;
}

describe('agent protocol v2: version negotiation', () => {
  it('a v2 console and a v2 terminal agree on 2 and the terminal states its capabilities', async () => {
    const terminal = await start();
    const c = await client(terminal.address);
    expect(await c.protocolVersion()).toBe(2);
    expect(await c.identify()).toMatchObject({ agentVersion: 2, capabilities: { resume: true, delta: false, readSlot: true, slots: 2 } });
  });

  it('a v2 console falls back to v1 with an old terminal and still flashes it', async () => {
    const terminal = await start({ agentVersion: 1 });
    const c = await client(terminal.address);
    expect(await c.identify()).toMatchObject({ agentVersion: 1, capabilities: { resume: false, delta: false, readSlot: false, slots: 2 } });
    await c.writeSlot('b', IMAGE, { resume: true });
    expect(hex(await c.hashSlot('b', IMAGE.length))).toBe(sha256(IMAGE));
    expect(await codeOf(c.readSlot('a', 100))).toBe(E.AGENT_UNSUPPORTED.code);
    expect(terminal.inspect().log.some((l) => /refused IDENTIFY/.test(l))).toBe(true);
  });

  it('a v1 console gets exactly the v1 answers from a v2 terminal', async () => {
    const terminal = await start();
    const c = await client(terminal.address, { maxProtocolVersion: 1 });
    expect(await c.identify()).toMatchObject({ agentVersion: 1, capabilities: { resume: false, delta: false, readSlot: false } });
    await c.writeSlot('b', IMAGE);
    expect(sha256(await terminal.readSlot('b'))).toBe(sha256(IMAGE));
  });
});

describe('agent protocol v2: resumable writes', () => {
  // Over TCP the console sends FAST_LINK_CHUNK_BYTES per chunk, over a serial line DEFAULT_CHUNK_BYTES.
  for (const percent of [10, 50, 99]) {
    it(`a write cut at ${percent}% resumes at the last acknowledged chunk and sends nothing acknowledged twice`, async () => {
      const terminal = await start({ faults: [{ kind: 'disconnect-at', percent }] });
      const first = await connect(terminal.address);
      const firstProgress: number[] = [];
      expect(await codeOf(first.writeSlot('b', IMAGE, { resume: true, onProgress: (n) => firstProgress.push(n) }))).toBe(E.LINK_LOST.code);
      const cutAt = Math.floor((IMAGE.length * percent) / 100);
      const acknowledged = Math.floor(cutAt / FAST_LINK_CHUNK_BYTES) * FAST_LINK_CHUNK_BYTES;
      expect(terminal.inspect().payloadBytesReceived).toBe(cutAt);
      expect(firstProgress.at(-1) ?? 0).toBeLessThanOrEqual(acknowledged);

      const second = await reconnect(terminal.address);
      const progress: number[] = [];
      await second.writeSlot('b', IMAGE, { resume: true, onProgress: (n) => progress.push(n) });
      expect(progress[0]).toBe(acknowledged);
      expect(progress.at(-1)).toBe(IMAGE.length);
      // Everything before the acknowledged offset crossed the link once; only the cut chunk's bytes twice.
      expect(terminal.inspect().payloadBytesReceived).toBe(cutAt + (IMAGE.length - acknowledged));
      expect(hex(await second.hashSlot('b', IMAGE.length))).toBe(sha256(IMAGE));
      expect(sha256(await terminal.readSlot('b'))).toBe(sha256(IMAGE));
      expect(terminal.inspect().log.some((l) => new RegExp(`write of slot b resumed at ${acknowledged} of ${IMAGE.length}`).test(l))).toBe(true);
    });
  }

  it('a caller that knows the image SHA-256 passes it, and the terminal names the write by it', async () => {
    const terminal = await start({ faults: [{ kind: 'disconnect-at', percent: 50 }] });
    const first = await connect(terminal.address);
    // Named by another hash than the image's: the client sends what it is given instead of hashing.
    expect(await codeOf(first.writeSlot('b', IMAGE, { resume: true, imageSha256: 'ab'.repeat(32) }))).toBe(E.LINK_LOST.code);
    const second = await reconnect(terminal.address);
    const progress: number[] = [];
    await second.writeSlot('b', IMAGE, { resume: true, imageSha256: sha256(IMAGE), onProgress: (n) => progress.push(n) });
    expect(progress[0]).toBeLessThanOrEqual(FAST_LINK_CHUNK_BYTES);
    expect(terminal.inspect().payloadBytesReceived).toBe(Math.floor(IMAGE.length / 2) + IMAGE.length);
    expect(sha256(await terminal.readSlot('b'))).toBe(sha256(IMAGE));
  });

  it('a different image, or no resume asked, starts from 0', async () => {
    const terminal = await start({ faults: [{ kind: 'disconnect-at', percent: 50 }] });
    const first = await connect(terminal.address);
    expect(await codeOf(first.writeSlot('b', IMAGE, { resume: true }))).toBe(E.LINK_LOST.code);
    const other = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B03', payloadBytes: 1_000_000 });
    const second = await reconnect(terminal.address);
    const progress: number[] = [];
    await second.writeSlot('b', other, { resume: true, onProgress: (n) => progress.push(n) });
    expect(progress[0]).toBeLessThanOrEqual(FAST_LINK_CHUNK_BYTES);
    expect(sha256(await terminal.readSlot('b'))).toBe(sha256(other));
  });

  it('survives a power cycle of the terminal: the acknowledged offset is kept in its state', async () => {
    const stateDir = await tempDir();
    const first = await startSimulatedTerminal({ stateDir, bootMs: BOOT_MS, faults: [{ kind: 'disconnect-at', percent: 50 }] });
    const driver = await connect(first.address);
    expect(await codeOf(driver.writeSlot('b', IMAGE, { resume: true }))).toBe(E.LINK_LOST.code);
    await first.close();

    const second = await startSimulatedTerminal({ stateDir, bootMs: BOOT_MS });
    cleanups.push(() => second.close());
    const acknowledged = Math.floor(Math.floor(IMAGE.length / 2) / FAST_LINK_CHUNK_BYTES) * FAST_LINK_CHUNK_BYTES;
    const progress: number[] = [];
    await (await connect(second.address)).writeSlot('b', IMAGE, { resume: true, onProgress: (n) => progress.push(n) });
    expect(progress[0]).toBe(acknowledged);
    expect(second.inspect().payloadBytesReceived).toBe(IMAGE.length - acknowledged);
    expect(sha256(await second.readSlot('b'))).toBe(sha256(IMAGE));
  });

  it('resumes over a serial line that went deaf', async () => {
    const terminal = await start({ transport: 'pty', faults: [{ kind: 'disconnect-at', percent: 50 }] });
    const c = await client(terminal.address, { writeAckTimeoutMs: 1000 });
    expect(await codeOf(c.writeSlot('b', IMAGE, { resume: true }))).toBe(E.LINK_TIMEOUT.code);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const cutAt = Math.floor(IMAGE.length / 2);
    const acknowledged = Math.floor(cutAt / DEFAULT_CHUNK_BYTES) * DEFAULT_CHUNK_BYTES;
    const progress: number[] = [];
    await c.writeSlot('b', IMAGE, { resume: true, onProgress: (n) => progress.push(n) });
    expect(progress[0]).toBe(acknowledged);
    expect(terminal.inspect().payloadBytesReceived).toBe(cutAt + IMAGE.length - acknowledged);
    expect(hex(await c.hashSlot('b', IMAGE.length))).toBe(sha256(IMAGE));
  }, 20_000);
});

describe('agent protocol v2: console-side checks', () => {
  it('refuses malformed delta ends and read lengths before sending anything', async () => {
    const terminal = await start();
    const c = await client(terminal.address);
    const ends = { source: { length: 10, sha256: 'zz' }, target: { length: 10, sha256: 'a'.repeat(64) } };
    expect(await codeOf(c.applyDelta('b', Uint8Array.of(1), ends))).toBe(E.BAD_REQUEST.code);
    expect(await codeOf(c.applyDelta('b', Uint8Array.of(1), { ...ends, source: { length: -1, sha256: 'a'.repeat(64) } }))).toBe(E.BAD_REQUEST.code);
    expect(await codeOf(c.readSlot('a', -5))).toBe(E.BAD_REQUEST.code);
    expect(terminal.inspect().log.some((l) => /refused/.test(l))).toBe(false);
  });
});

describe('agent protocol v2: single-slot terminals', () => {
  it('reads the running image back, writes over it, and restores the backup after a bad image', async () => {
    const terminal = await start({ singleSlot: true });
    const driver = await connect(terminal.address);
    const id = await driver.identify();
    expect(id.capabilities).toMatchObject({ slots: 1, readSlot: true });
    const stored = await terminal.readSlot('a');
    const backup = await driver.readSlot!('a', stored.length);
    expect(sha256(backup)).toBe(sha256(stored));
    expect(await codeOf(driver.writeSlot('b', IMAGE))).toBe(E.DEVICE_REJECTED.code);

    // An image for another model fails its boot check: the recovery agent answers instead.
    const wrong = buildTestFirmware({ model: 'MC801A', hwRevision: 'V1.0', version: 'X1' });
    await driver.writeSlot('a', wrong);
    await driver.setActive('a');
    await driver.reboot();
    const recovery = await reconnect(terminal.address);
    expect((await recovery.identify()).slots.a.state).toBe('unbootable');

    await recovery.writeSlot('a', backup);
    await recovery.setActive('a');
    await recovery.reboot();
    const restored = await reconnect(terminal.address);
    expect(await restored.identify()).toMatchObject({ activeSlot: 'a', firmwareVersion: 'B01' });
    expect(sha256(await terminal.readSlot('a'))).toBe(sha256(backup));
  });

  it('unwritten bytes read back as erased flash (0xFF)', async () => {
    const terminal = await start();
    const driver = await connect(terminal.address);
    const empty = await driver.readSlot!('b', 70_000);
    expect(empty.every((b) => b === 0xff)).toBe(true);
    expect(await codeOf(driver.readSlot!('a', 9 * 1024 * 1024))).toBe(E.IMAGE_TOO_LARGE.code);
  });
});
