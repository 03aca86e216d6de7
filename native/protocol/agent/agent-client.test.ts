import { describe, expect, it } from 'vitest';
import type { ByteLink } from '../../transport';
import { createMemoryLinkPair } from '../../transport';
import { createAgentClient, type AgentClientOptions } from './agent-client';
import { Command, DeviceError } from './commands';
import { encodeFrame, FrameFlag, type Frame } from './frame';
import { FrameDecoder } from './frame-decoder';
import { decodeWriteChunk, encodeErrorReply, encodeIdentifyReport, encodeU32, type IdentifyReport } from './messages';

/** The terminal's end of a memory link, answering by hand what a test wants answered. */
class HandTerminal {
  readonly requests: Frame[] = [];
  private readonly decoder = new FrameDecoder();

  constructor(readonly link: ByteLink) {
    link.onData((chunk) => {
      for (const e of this.decoder.push(chunk)) if (e.kind === 'frame') this.requests.push(e.frame);
    });
  }

  async request(index: number): Promise<Frame> {
    for (let i = 0; i < 200 && this.requests.length <= index; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const frame = this.requests[index];
    if (!frame) throw new Error(`request ${index} never came`);
    return frame;
  }

  reply(to: Frame, payload: Uint8Array = new Uint8Array(), extra: Partial<Frame> = {}): Promise<void> {
    return this.link.write(encodeFrame({ type: to.type, flags: FrameFlag.RESPONSE, seq: to.seq, payload, ...extra }));
  }
}

const IDENTITY: IdentifyReport = {
  agentVersion: 1,
  model: 'MF286D',
  hwRevision: 'V1.0',
  serial: 'ZTE42',
  slotSize: 1 << 20,
  maxChunkBytes: 1000,
  maxWindow: 4,
  slots: {
    runningSlot: 'a',
    bootSlot: 'a',
    slots: { a: { version: 'B01', state: 'good', triesLeft: 3 }, b: { version: '', state: 'empty', triesLeft: 0 } },
  },
};

function setup(options: AgentClientOptions = {}) {
  const [consoleEnd, terminalEnd] = createMemoryLinkPair('client-test');
  return { client: createAgentClient(consoleEnd, { responseTimeoutMs: 200, ...options }), terminal: new HandTerminal(terminalEnd) };
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('agent client', () => {
  it('identifies, syncing the sequence on its first request only', async () => {
    const { client, terminal } = setup();
    const identity = client.identify();
    const first = await terminal.request(0);
    expect(first.flags & FrameFlag.SYNC).toBe(FrameFlag.SYNC);
    await terminal.reply(first, encodeIdentifyReport(IDENTITY));
    expect(await identity).toMatchObject({ model: 'MF286D', serial: 'ZTE42', activeSlot: 'a', firmwareVersion: 'B01', slotSize: 1 << 20 });
    const confirm = client.confirm();
    const second = await terminal.request(1);
    expect(second.flags & FrameFlag.SYNC).toBe(0);
    expect(second.seq).toBe((first.seq + 1) & 0xffff);
    await terminal.reply(second);
    await confirm;
  });

  it('fails with LINK_TIMEOUT when nothing answers, and FRAME_TRUNCATED when the answer stops mid-frame', async () => {
    const { client, terminal } = setup();
    expect(await codeOf(client.confirm())).toBe('ZUC-2003');
    const pending = client.confirm();
    const req = await terminal.request(1);
    expect(req.flags & FrameFlag.SYNC).toBe(FrameFlag.SYNC); // after a failure the next request re-syncs
    await terminal.link.write(encodeFrame({ type: req.type, flags: FrameFlag.RESPONSE, seq: req.seq, payload: new Uint8Array(20) }).subarray(0, 20));
    expect(await codeOf(pending)).toBe('ZUC-3002');
  });

  it('rejects a response with a bad CRC, a wrong sequence number or a malformed payload', async () => {
    const { client, terminal } = setup();
    let pending = client.confirm();
    let req = await terminal.request(0);
    const bad = encodeFrame({ type: req.type, flags: FrameFlag.RESPONSE, seq: req.seq, payload: new Uint8Array() });
    bad[bad.length - 2] = bad[bad.length - 2]! ^ 1;
    await terminal.link.write(bad);
    expect(await codeOf(pending)).toBe('ZUC-3001');

    pending = client.confirm();
    req = await terminal.request(1);
    await terminal.reply(req, undefined, { seq: (req.seq + 5) & 0xffff });
    expect(await codeOf(pending)).toBe('ZUC-3004');

    pending = client.confirm();
    req = await terminal.request(2);
    await terminal.reply(req, Uint8Array.of(1, 2));
    expect(await codeOf(pending)).toBe('ZUC-3003');
  });

  it('maps device error replies to catalogued codes with the device’s words', async () => {
    const { client, terminal } = setup();
    const pending = client.setActive('b');
    const req = await terminal.request(0);
    await terminal.reply(req, encodeErrorReply({ code: DeviceError.SLOT_EMPTY, message: 'slot b was never written' }), { flags: FrameFlag.RESPONSE | FrameFlag.ERROR });
    const err = await pending.catch((e: unknown) => e as { code: string; detail: string });
    expect(err).toMatchObject({ code: 'ZUC-3005' });
    expect((err as { detail: string }).detail).toMatch(/SET_ACTIVE.*SLOT_EMPTY.*never written/);
  });

  it('fails with LINK_LOST when the link drops, and refuses use afterwards', async () => {
    const { client, terminal } = setup();
    const pending = client.readLog();
    await terminal.request(0);
    await terminal.link.close();
    expect(await codeOf(pending)).toBe('ZUC-2002');
    expect(await codeOf(client.identify())).toBe('ZUC-2002');
  });

  it('fails with FRAME_TRUNCATED when the link drops in the middle of a response', async () => {
    const { client, terminal } = setup();
    const pending = client.identify();
    const req = await terminal.request(0);
    await terminal.link.write(encodeFrame({ type: req.type, flags: FrameFlag.RESPONSE, seq: req.seq, payload: encodeIdentifyReport(IDENTITY) }).subarray(0, 30));
    await terminal.link.close();
    expect(await codeOf(pending)).toBe('ZUC-3002');
  });

  it('keeps a window of chunks in flight, acknowledged by offset, reporting progress', async () => {
    const { client, terminal } = setup();
    const image = Uint8Array.from({ length: 5500 }, (_, i) => i & 0xff);
    const progress: number[] = [];
    const write = client.writeSlot('b', image, { onProgress: (n) => progress.push(n) });
    await terminal.reply(await terminal.request(0), encodeIdentifyReport(IDENTITY));
    await terminal.reply(await terminal.request(1));
    await terminal.request(5); // chunks 0..3 (window 4) arrive without any ack
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(terminal.requests.length).toBe(6);
    expect(terminal.requests.slice(2).map((f) => decodeWriteChunk(f.payload).offset)).toEqual([0, 1000, 2000, 3000]);
    for (let i = 2; i < 8; i++) {
      const req = await terminal.request(i);
      const q = decodeWriteChunk(req.payload);
      await terminal.reply(req, encodeU32(q.offset + q.data.length));
    }
    const end = await terminal.request(8);
    expect(end.type).toBe(Command.WRITE_END);
    await terminal.reply(end, Uint8Array.of(0));
    await write;
    expect(progress).toEqual([1000, 2000, 3000, 4000, 5000, 5500]);
  });

  it('stops a write when aborted, with CANCELLED', async () => {
    const { client, terminal } = setup();
    const abort = new AbortController();
    const write = client.writeSlot('b', new Uint8Array(10_000), { signal: abort.signal, onProgress: () => abort.abort() });
    await terminal.reply(await terminal.request(0), encodeIdentifyReport(IDENTITY));
    await terminal.reply(await terminal.request(1));
    for (let i = 2; i < 6; i++) {
      const req = await terminal.request(i);
      const q = decodeWriteChunk(req.payload);
      await terminal.reply(req, encodeU32(q.offset + q.data.length));
    }
    expect(await codeOf(write)).toBe('ZUC-4008');
    expect(terminal.requests.length).toBe(6);
  });
});
