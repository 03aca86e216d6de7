import { crc32, crc32Combine } from './crc32';

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
  /**
   * CRC-32 of `payload`, when the decoder already computed it while checking
   * the frame CRC (a terminal derives a chunk's data CRC from it instead of a
   * second pass over the data).
   */
  payloadCrc?: number;
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
 * The frame of a WRITE_CHUNK / DELTA_CHUNK request (payload `offset u32,
 * dataCrc u32, data`) as three parts to send back to back: the 19 bytes of
 * header and chunk prefix, `data` itself (not copied) and the frame CRC. The
 * frame CRC is combined from the header's CRC and `dataCrc` (crc32Combine),
 * so the data is read once, for its own CRC, by the caller.
 */
export function chunkFrameParts(head: { type: number; flags: number; seq: number }, offset: number, dataCrc: number, data: Uint8Array): [Uint8Array, Uint8Array, Uint8Array] {
  const payloadLength = CHUNK_PREFIX_BYTES + data.length;
  if (payloadLength > MAX_PAYLOAD_BYTES) throw new RangeError(`payload of ${payloadLength} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
  const front = Buffer.allocUnsafe(FRAME_HEADER_BYTES + CHUNK_PREFIX_BYTES);
  front[0] = FRAME_MAGIC[0];
  front[1] = FRAME_MAGIC[1];
  front[2] = PROTOCOL_VERSION;
  front[3] = head.type & 0xff;
  front[4] = head.flags & 0xff;
  front.writeUInt16LE(head.seq & 0xffff, 5);
  front.writeUInt16LE(payloadLength, 7);
  front.writeUInt16LE(headerCheck(front), 9);
  front.writeUInt32LE(offset >>> 0, FRAME_HEADER_BYTES);
  front.writeUInt32LE(dataCrc >>> 0, FRAME_HEADER_BYTES + 4);
  const trailer = Buffer.allocUnsafe(FRAME_TRAILER_BYTES);
  trailer.writeUInt32LE(crc32Combine(crc32(front), dataCrc, data.length), 0);
  return [front, data, trailer];
}

/** The chunk frame of chunkFrameParts in one buffer, for links that take one buffer per write. */
export function encodeChunkFrame(head: { type: number; flags: number; seq: number }, offset: number, dataCrc: number, data: Uint8Array): Uint8Array {
  return Buffer.concat(chunkFrameParts(head, offset, dataCrc, data));
}

/** offset u32 + dataCrc u32 before a chunk's data. */
const CHUNK_PREFIX_BYTES = 8;
