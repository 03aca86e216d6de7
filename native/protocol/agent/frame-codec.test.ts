import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';
import { encodeFrame, FRAME_HEADER_BYTES, FrameFlag, MAX_PAYLOAD_BYTES, type Frame } from './frame';
import { FrameDecoder, type DecodeEvent } from './frame-decoder';

const frames: Frame[] = [
  { type: 0x01, flags: FrameFlag.SYNC, seq: 7, payload: new Uint8Array() },
  { type: 0x11, flags: 0, seq: 8, payload: Uint8Array.from({ length: 300 }, (_, i) => i & 0xff) },
  // A payload full of magic bytes must not confuse the decoder.
  { type: 0x11, flags: FrameFlag.RESPONSE, seq: 0xffff, payload: new Uint8Array(40).fill(0x5a) },
];
const garbage = new TextEncoder().encode('U-Boot 2023.01 ZT\r\n');

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function decodedFrames(events: DecodeEvent[]): Frame[] {
  return events.map((e) => {
    if (e.kind !== 'frame') throw new Error(`unexpected ${e.kind}`);
    return e.frame;
  });
}

/** Decoded frames also carry their payload's CRC (computed while checking the frame CRC). */
const expected = frames.map((f) => ({ ...f, version: 1, payloadCrc: crc32(f.payload) }));
const stream = concat(garbage, encodeFrame(frames[0]!), encodeFrame(frames[1]!), garbage, encodeFrame(frames[2]!));

describe('frame codec', () => {
  it('decodes the same frames whatever position the stream is split at', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const d = new FrameDecoder();
      const events = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(decodedFrames(events), `split at ${cut}`).toEqual(expected);
      expect(d.garbageBytes).toBe(2 * garbage.length);
      expect(d.hasPartialFrame).toBe(false);
    }
  });

  it('decodes a stream fed one byte at a time, and split at every pair of positions', () => {
    const d = new FrameDecoder();
    const events = [...stream].flatMap((b) => d.push(Uint8Array.of(b)));
    expect(decodedFrames(events)).toEqual(expected);
    const small = concat(encodeFrame(frames[0]!), encodeFrame(frames[2]!));
    for (let i = 0; i <= small.length; i++) {
      for (let j = i; j <= small.length; j++) {
        const e = new FrameDecoder();
        const got = [...e.push(small.subarray(0, i)), ...e.push(small.subarray(i, j)), ...e.push(small.subarray(j))];
        expect(decodedFrames(got)).toEqual([expected[0], expected[2]]);
      }
    }
  });

  it('keeps every payload intact while later frames arrive: large frames split across socket-sized reads, payloads held on to', () => {
    const big = Array.from({ length: 40 }, (_, n) => ({ type: 0x11, flags: 0, seq: n, payload: Uint8Array.from({ length: 50_000 + n * 300 }, (_, i) => (i * 7 + n * 13) & 0xff) }));
    const wire = concat(...big.map((f) => encodeFrame(f)));
    const d = new FrameDecoder();
    const held: Frame[] = [];
    // Reads of 64 KiB, as a TCP socket delivers them: most frames straddle two reads.
    for (let at = 0; at < wire.length; at += 65_536) held.push(...decodedFrames(d.push(wire.slice(at, at + 65_536))));
    expect(held.map((f) => f.seq)).toEqual(big.map((f) => f.seq));
    for (const [n, f] of held.entries()) {
      expect(Buffer.from(f.payload).equals(Buffer.from(big[n]!.payload)), `frame ${n}`).toBe(true);
      expect(f.payloadCrc).toBe(crc32(big[n]!.payload));
    }
  });

  it('reports a frame with a bad CRC by its sequence number and keeps decoding after it', () => {
    const bad = encodeFrame(frames[1]!);
    bad[FRAME_HEADER_BYTES + 10] = bad[FRAME_HEADER_BYTES + 10]! ^ 0x04;
    const d = new FrameDecoder();
    const events = d.push(concat(bad, encodeFrame(frames[2]!)));
    expect(events[0]).toMatchObject({ kind: 'corrupt', seq: 8, type: 0x11 });
    expect(events[0]?.kind === 'corrupt' && events[0].error.code).toBe('ZUC-3001');
    expect(events[1]).toEqual({ kind: 'frame', frame: expected[2] });
  });

  it('skips a header that fails its check and finds the real frame after it', () => {
    const bad = encodeFrame(frames[1]!);
    bad[7] = bad[7]! ^ 0xff; // the length: without the header check the decoder would wait for bytes that never come
    const d = new FrameDecoder();
    expect(decodedFrames(d.push(concat(bad, encodeFrame(frames[0]!))))).toEqual([expected[0]]);
  });

  it('reports a truncated frame as FRAME_TRUNCATED when the link ends', () => {
    const d = new FrameDecoder();
    expect(d.push(encodeFrame(frames[1]!).subarray(0, 100))).toEqual([]);
    expect(d.hasPartialFrame).toBe(true);
    expect(d.finish()?.code).toBe('ZUC-3002');
    expect(d.finish()).toBeUndefined();
  });

  it('refuses to encode a payload larger than the maximum', () => {
    expect(() => encodeFrame({ type: 1, flags: 0, seq: 0, payload: new Uint8Array(MAX_PAYLOAD_BYTES + 1) })).toThrow(RangeError);
    const biggest = { type: 1, flags: 0, seq: 1, payload: new Uint8Array(MAX_PAYLOAD_BYTES).fill(3) };
    expect(decodedFrames(new FrameDecoder().push(encodeFrame(biggest)))).toEqual([{ ...biggest, version: 1, payloadCrc: crc32(biggest.payload) }]);
  });
});
