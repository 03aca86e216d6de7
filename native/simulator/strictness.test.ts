import { describe, expect, it } from 'vitest';
import { Command, crc32, DeviceError, encodeFrame, FrameDecoder, FrameFlag, type Frame } from '../protocol/agent';
import { decodeErrorReply, encodeReadSlot, encodeWriteBegin, encodeWriteBeginV2, encodeWriteChunk, encodeU32 } from '../protocol/agent/messages';
import { openLink, type ByteLink } from '../transport';
import { buildTestFirmware } from './index';
import { cleanups, codeOf, connect, start } from './simulator-test-kit';

/** Speaks raw frames to the terminal, to send what a correct client never would. */
class RawPeer {
  private readonly decoder = new FrameDecoder();
  private readonly frames: Frame[] = [];
  private waiter: (() => void) | undefined;

  constructor(readonly link: ByteLink) {
    link.onData((chunk) => {
      for (const e of this.decoder.push(chunk)) if (e.kind === 'frame') this.frames.push(e.frame);
      this.waiter?.();
    });
  }

  static async open(address: string): Promise<RawPeer> {
    const link = await openLink(address);
    cleanups.push(() => link.close());
    return new RawPeer(link);
  }

  async send(type: number, seq: number, payload: Uint8Array = new Uint8Array(), flags = 0): Promise<void> {
    await this.link.write(encodeFrame({ type, flags, seq, payload }));
  }

  async next(timeoutMs = 2000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (Date.now() > deadline) throw new Error('no frame from the terminal');
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 20);
      });
    }
    return this.frames.shift()!;
  }

  /** Sends a request and returns the device error code of the reply (0 for success). */
  async ask(type: number, seq: number, payload: Uint8Array = new Uint8Array(), flags = 0): Promise<number> {
    await this.send(type, seq, payload, flags);
    const reply = await this.next();
    expect(reply.seq).toBe(seq);
    expect(reply.type).toBe(type);
    return reply.flags & FrameFlag.ERROR ? decodeErrorReply(reply.payload).code : 0;
  }

  async silent(ms = 300): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.frames.length === 0;
  }
}

const chunk = (offset: number, data: Uint8Array, crc = crc32(data)): Uint8Array => encodeWriteChunk({ offset, dataCrc: crc, data });

describe('simulated terminal strictness', () => {
  it('checks sequence numbers: SYNC first, then each request one higher', async () => {
    const terminal = await start();
    const peer = await RawPeer.open(terminal.address);
    expect(await peer.ask(Command.IDENTIFY, 10)).toBe(DeviceError.OUT_OF_SEQUENCE);
    expect(await peer.ask(Command.IDENTIFY, 10, undefined, FrameFlag.SYNC)).toBe(0);
    expect(await peer.ask(Command.READ_SLOTS, 11)).toBe(0);
    expect(await peer.ask(Command.READ_SLOTS, 11)).toBe(DeviceError.OUT_OF_SEQUENCE);
    expect(await peer.ask(Command.READ_SLOTS, 13)).toBe(DeviceError.OUT_OF_SEQUENCE);
    expect(await peer.ask(Command.READ_SLOTS, 12)).toBe(0);
  });

  it('answers a frame with a bad CRC with BAD_CRC and does not move the sequence', async () => {
    const terminal = await start();
    const peer = await RawPeer.open(terminal.address);
    expect(await peer.ask(Command.IDENTIFY, 0, undefined, FrameFlag.SYNC)).toBe(0);
    const bad = encodeFrame({ type: Command.READ_SLOTS, flags: 0, seq: 1, payload: new Uint8Array() });
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    await peer.link.write(bad);
    const reply = await peer.next();
    expect(reply.seq).toBe(1);
    expect(decodeErrorReply(reply.payload).code).toBe(DeviceError.BAD_CRC);
    expect(await peer.ask(Command.READ_SLOTS, 1)).toBe(0);
  });

  it('skips garbage, drops a half frame after a silence, and answers the next frame', async () => {
    const terminal = await start();
    const peer = await RawPeer.open(terminal.address);
    await peer.link.write(new TextEncoder().encode('AT+ZCDRUN=E\r\nZT\x01garbage'));
    expect(await peer.ask(Command.IDENTIFY, 5, undefined, FrameFlag.SYNC)).toBe(0);
    // A whole header that announces a payload which never comes: kept, the next frame would vanish into it.
    const half = encodeFrame({ type: Command.READ_LOG, flags: 0, seq: 6, payload: encodeU32(0) }).subarray(0, 13);
    await peer.link.write(half);
    expect(await peer.silent(1300)).toBe(true);
    expect(await peer.ask(Command.READ_SLOTS, 6)).toBe(0);
  });

  it('refuses unknown commands, other protocol versions, responses and malformed payloads', async () => {
    const terminal = await start();
    const peer = await RawPeer.open(terminal.address);
    expect(await peer.ask(0x7e, 0, undefined, FrameFlag.SYNC)).toBe(DeviceError.UNKNOWN_COMMAND);
    await peer.link.write(encodeFrame({ type: Command.IDENTIFY, flags: FrameFlag.SYNC, seq: 1, payload: new Uint8Array(), version: 2 }));
    expect(decodeErrorReply((await peer.next()).payload).code).toBe(DeviceError.UNSUPPORTED_VERSION);
    expect(await peer.ask(Command.IDENTIFY, 2, undefined, FrameFlag.SYNC | FrameFlag.RESPONSE)).toBe(DeviceError.BAD_PAYLOAD);
    expect(await peer.ask(Command.IDENTIFY, 3, Uint8Array.of(2, 0), FrameFlag.SYNC)).toBe(DeviceError.BAD_PAYLOAD);
    expect(await peer.ask(Command.WRITE_BEGIN, 4, Uint8Array.of(2, 0, 0, 0, 1))).toBe(DeviceError.BAD_PAYLOAD);
  });

  it('refuses writes to the running slot, beyond the slot, out of order, oversize or with a bad data CRC', async () => {
    const terminal = await start({ slotSize: 200_000 });
    const peer = await RawPeer.open(terminal.address);
    let seq = 100;
    expect(await peer.ask(Command.IDENTIFY, seq, undefined, FrameFlag.SYNC)).toBe(0);
    expect(await peer.ask(Command.WRITE_BEGIN, ++seq, encodeWriteBegin({ slot: 'a', totalLength: 1000 }))).toBe(DeviceError.SLOT_ACTIVE);
    expect(await peer.ask(Command.WRITE_BEGIN, ++seq, encodeWriteBegin({ slot: 'b', totalLength: 200_001 }))).toBe(DeviceError.TOO_LARGE);
    expect(await peer.ask(Command.WRITE_CHUNK, ++seq, chunk(0, new Uint8Array(10)))).toBe(DeviceError.WRONG_STATE);
    expect(await peer.ask(Command.WRITE_BEGIN, ++seq, encodeWriteBegin({ slot: 'b', totalLength: 100_000 }))).toBe(0);
    expect(await peer.ask(Command.WRITE_CHUNK, ++seq, chunk(0, new Uint8Array(62_000)))).toBe(DeviceError.CHUNK_TOO_LARGE);
    expect(await peer.ask(Command.WRITE_CHUNK, ++seq, chunk(0, new Uint8Array(100), 1234))).toBe(DeviceError.BAD_CRC);
    expect(await peer.ask(Command.WRITE_CHUNK, ++seq, chunk(50, new Uint8Array(100)))).toBe(DeviceError.BAD_OFFSET);
    expect(await peer.ask(Command.WRITE_CHUNK, ++seq, chunk(0, new Uint8Array(100)))).toBe(0);
    expect(await peer.ask(Command.SET_ACTIVE, ++seq, Uint8Array.of(1))).toBe(DeviceError.WRONG_STATE);
    expect(await peer.ask(Command.REBOOT, ++seq)).toBe(DeviceError.WRONG_STATE);
    expect(await peer.ask(Command.WRITE_END, ++seq)).toBe(DeviceError.INCOMPLETE);
    expect(await peer.ask(Command.HASH_SLOT, ++seq, Uint8Array.of(1, 0, 0, 0, 0))).toBe(DeviceError.WRONG_STATE);
    expect(await peer.ask(Command.READ_LOG, seq + 1, encodeU32(0))).toBe(0);
    expect(terminal.inspect().slots.b.state).toBe('unbootable');
  });

  it('refuses to activate an empty slot, and the client maps refusals to catalogued codes', async () => {
    const terminal = await start({ slotSize: 100_000 });
    const driver = await connect(terminal.address);
    expect(await codeOf(driver.setActive('b'))).toBe('ZUC-3005');
    const image = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B02', payloadBytes: 1000 });
    expect(await codeOf(driver.writeSlot('a', image))).toBe('ZUC-3007');
    expect(await codeOf(driver.writeSlot('b', new Uint8Array(100_001)))).toBe('ZUC-1004');
    expect(await codeOf(driver.writeSlot('b', new Uint8Array()))).toBe('ZUC-1003');
    expect(await codeOf(driver.hashSlot('b', 100_001))).toBe('ZUC-1004');
    expect(terminal.inspect().slots.a).toEqual({ version: 'B01', state: 'good', triesLeft: 3 });
    const log = await driver.readLog();
    expect(log.filter((l) => /refused/.test(l)).length).toBeGreaterThanOrEqual(3);
  });

  it('serves a second TCP console (own sequence) without letting it touch the first one’s write', async () => {
    const terminal = await start();
    const writer = await RawPeer.open(terminal.address);
    const poller = await RawPeer.open(terminal.address);
    expect(await writer.ask(Command.IDENTIFY, 1, undefined, FrameFlag.SYNC)).toBe(0);
    expect(await writer.ask(Command.WRITE_BEGIN, 2, encodeWriteBegin({ slot: 'b', totalLength: 200 }))).toBe(0);
    expect(await poller.ask(Command.IDENTIFY, 500, undefined, FrameFlag.SYNC)).toBe(0);
    expect(await poller.ask(Command.WRITE_BEGIN, 501, encodeWriteBegin({ slot: 'b', totalLength: 100 }))).toBe(DeviceError.WRONG_STATE);
    expect(await poller.ask(Command.WRITE_CHUNK, 502, chunk(0, new Uint8Array(100)))).toBe(DeviceError.WRONG_STATE);
    expect(await writer.ask(Command.WRITE_CHUNK, 3, chunk(0, new Uint8Array(200)))).toBe(0);
    expect(await writer.ask(Command.WRITE_END, 4)).toBe(0);
    expect(await poller.ask(Command.READ_SLOTS, 503)).toBe(0);
  });

  it('v2: refuses v2 commands on a v1 agent, out-of-session delta chunks, unknown write flags and over-long reads', async () => {
    const old = await RawPeer.open((await start({ agentVersion: 1 })).address);
    expect(await old.ask(Command.READ_SLOT, 0, encodeReadSlot({ slot: 'a', offset: 0, length: 16 }), FrameFlag.SYNC)).toBe(DeviceError.UNKNOWN_COMMAND);
    expect(await old.ask(Command.IDENTIFY, 1, Uint8Array.of(2))).toBe(DeviceError.BAD_PAYLOAD);
    const sha = new Uint8Array(32);
    expect(await old.ask(Command.WRITE_BEGIN, 2, encodeWriteBeginV2({ slot: 'b', totalLength: 10, imageSha256: sha, resume: true }))).toBe(DeviceError.BAD_PAYLOAD);

    const peer = await RawPeer.open((await start()).address);
    expect(await peer.ask(Command.DELTA_CHUNK, 0, chunk(0, Uint8Array.of(1, 2, 3)), FrameFlag.SYNC)).toBe(DeviceError.UNKNOWN_COMMAND);
    const badFlags = encodeWriteBeginV2({ slot: 'b', totalLength: 10, imageSha256: sha, resume: true });
    badFlags[badFlags.length - 1] = 0x80;
    expect(await peer.ask(Command.WRITE_BEGIN, 1, badFlags)).toBe(DeviceError.BAD_PAYLOAD);
    expect(await peer.ask(Command.WRITE_BEGIN, 2, encodeWriteBeginV2({ slot: 'a', totalLength: 10, imageSha256: sha, resume: false }))).toBe(DeviceError.SLOT_ACTIVE);
    expect(await peer.ask(Command.READ_SLOT, 3, encodeReadSlot({ slot: 'a', offset: 0, length: 1 << 20 }))).toBe(DeviceError.CHUNK_TOO_LARGE);
    expect(await peer.ask(Command.READ_SLOT, 4, encodeReadSlot({ slot: 'a', offset: 0xffffff00, length: 512 }))).toBe(DeviceError.TOO_LARGE);
    expect(await peer.ask(Command.WRITE_BEGIN, 5, encodeWriteBeginV2({ slot: 'b', totalLength: 10, imageSha256: sha, resume: true }))).toBe(0);
    expect(await peer.ask(Command.READ_SLOT, 6, encodeReadSlot({ slot: 'a', offset: 0, length: 16 }))).toBe(DeviceError.WRONG_STATE);
  });
});
