import { crc32 } from './crc32';

/** Byte layout of a v1 frame; docs/agent-protocol.md is the reference. */
export const FRAME_MAGIC = [0x5a, 0x54] as const;
export const PROTOCOL_VERSION = 1;
export const FRAME_HEADER_BYTES = 11;
export const FRAME_TRAILER_BYTES = 4;
export const MAX_PAYLOAD_BYTES = 65535;

export const FrameFlag = {
  RESPONSE: 0x01,
  ERROR: 0x02,
  SYNC: 0x04,
} as const;

/** Flags a v1 receiver understands; any other bit set makes the frame malformed. */
export const KNOWN_FLAGS = FrameFlag.RESPONSE | FrameFlag.ERROR | FrameFlag.SYNC;

export interface Frame {
  type: number;
  flags: number;
  /** u16, see "Sequence numbers" in the spec. */
  seq: number;
  payload: Uint8Array;
  /** Protocol version in the header; always PROTOCOL_VERSION for frames we build. */
  version?: number;
}

/** Low 16 bits of the CRC-32 over the first 9 header bytes. */
export function headerCheck(header: Uint8Array): number {
  return crc32(header.subarray(0, 9)) & 0xffff;
}

export function encodeFrame(frame: Frame): Uint8Array {
  const { type, flags, seq, payload } = frame;
  if (payload.length > MAX_PAYLOAD_BYTES) throw new RangeError(`payload of ${payload.length} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length + FRAME_TRAILER_BYTES);
  const view = new DataView(out.buffer);
  out[0] = FRAME_MAGIC[0];
  out[1] = FRAME_MAGIC[1];
  out[2] = frame.version ?? PROTOCOL_VERSION;
  out[3] = type & 0xff;
  out[4] = flags & 0xff;
  view.setUint16(5, seq & 0xffff, true);
  view.setUint16(7, payload.length, true);
  view.setUint16(9, headerCheck(out), true);
  out.set(payload, FRAME_HEADER_BYTES);
  const end = FRAME_HEADER_BYTES + payload.length;
  view.setUint32(end, crc32(out.subarray(0, end)), true);
  return out;
}

/**
 * The frame of a WRITE_CHUNK / DELTA_CHUNK request built in one buffer:
 * payload `offset u32, dataCrc u32, data`. Same bytes as encodeFrame of
 * encodeWriteChunk, without the two intermediate copies of every chunk
 * (the write path's largest cost in the console after the CRCs).
 */
export function encodeChunkFrame(head: { type: number; flags: number; seq: number }, offset: number, dataCrc: number, data: Uint8Array): Uint8Array {
  const payloadLength = CHUNK_PREFIX_BYTES + data.length;
  if (payloadLength > MAX_PAYLOAD_BYTES) throw new RangeError(`payload of ${payloadLength} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
  const end = FRAME_HEADER_BYTES + payloadLength;
  // Every byte is written below, so the buffer need not be zeroed first.
  const out = Buffer.allocUnsafeSlow(end + FRAME_TRAILER_BYTES);
  out[0] = FRAME_MAGIC[0];
  out[1] = FRAME_MAGIC[1];
  out[2] = PROTOCOL_VERSION;
  out[3] = head.type & 0xff;
  out[4] = head.flags & 0xff;
  out.writeUInt16LE(head.seq & 0xffff, 5);
  out.writeUInt16LE(payloadLength, 7);
  out.writeUInt16LE(headerCheck(out), 9);
  out.writeUInt32LE(offset >>> 0, FRAME_HEADER_BYTES);
  out.writeUInt32LE(dataCrc >>> 0, FRAME_HEADER_BYTES + 4);
  out.set(data, FRAME_HEADER_BYTES + CHUNK_PREFIX_BYTES);
  out.writeUInt32LE(crc32(out.subarray(0, end)), end);
  return out;
}

/** offset u32 + dataCrc u32 before a chunk's data. */
const CHUNK_PREFIX_BYTES = 8;
