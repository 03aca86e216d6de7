import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';
import { encodeChunkFrame, encodeFrame, FrameFlag, MAX_PAYLOAD_BYTES } from './frame';
import { FrameDecoder } from './frame-decoder';
import { decodeWriteChunk, encodeWriteChunk } from './messages';

describe('chunk frames built in one buffer', () => {
  it('are byte for byte the frame of an encoded WRITE_CHUNK, and a terminal decodes the same chunk from them', () => {
    const data = Uint8Array.from({ length: 40_000 }, (_, i) => (i * 31) & 0xff);
    const dataCrc = crc32(data);
    const built = encodeChunkFrame({ type: 0x11, flags: FrameFlag.SYNC, seq: 0xfffe }, 123_456, dataCrc, data);
    expect(Buffer.from(built).equals(Buffer.from(encodeFrame({ type: 0x11, flags: FrameFlag.SYNC, seq: 0xfffe, payload: encodeWriteChunk({ offset: 123_456, dataCrc, data }) })))).toBe(true);
    const [event] = new FrameDecoder().push(built);
    expect(event?.kind).toBe('frame');
    if (event?.kind !== 'frame') return;
    const chunk = decodeWriteChunk(event.frame.payload);
    expect(chunk.offset).toBe(123_456);
    expect(chunk.dataCrc).toBe(dataCrc);
    expect(Buffer.from(chunk.data).equals(Buffer.from(data))).toBe(true);
  });

  it('refuses data that does not fit one frame', () => {
    expect(() => encodeChunkFrame({ type: 0x11, flags: 0, seq: 1 }, 0, 0, new Uint8Array(MAX_PAYLOAD_BYTES))).toThrow(RangeError);
  });
});
