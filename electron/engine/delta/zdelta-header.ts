import { createHash } from 'node:crypto';
import { E, ZucError } from '../../shared/errors';
import { MAX_FRAME_LOG2, MAX_IMAGE_BYTES, MIN_FRAME_LOG2 } from './limits';

/** "ZUCDELTA": the first 8 bytes of every zdelta patch. */
export const ZDELTA_MAGIC = Uint8Array.from('ZUCDELTA', (c) => c.charCodeAt(0));
export const ZDELTA_VERSION = 1;

export const ZDELTA_HEADER_BYTES = 104;
const CHECKED_BYTES = 96;
const CHECK_BYTES = 8;
/** Per frame and stream (control, diff, extra): codec u8, raw length u32, packed length u32. */
export const FRAME_STREAM_ENTRY_BYTES = 9;
export const FRAME_TABLE_BYTES = 3 * FRAME_STREAM_ENTRY_BYTES;
/** The stream table, then a CRC-32 over the table and the packed streams, so damage is caught before decoding. */
export const FRAME_HEADER_BYTES = FRAME_TABLE_BYTES + 4;

export interface ZdeltaHeader {
  frameLog2: number;
  oldSize: number;
  oldSha256: string;
  newSize: number;
  newSha256: string;
  frameCount: number;
}

export function startsWith(bytes: Uint8Array, magic: Uint8Array): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}

function headerCheck(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes.subarray(0, CHECKED_BYTES)).digest().subarray(0, CHECK_BYTES);
}

export function frameCountFor(newSize: number, frameLog2: number): number {
  return Math.ceil(newSize / 2 ** frameLog2);
}

export function encodeZdeltaHeader(h: ZdeltaHeader): Uint8Array {
  const out = new Uint8Array(ZDELTA_HEADER_BYTES);
  const view = new DataView(out.buffer);
  out.set(ZDELTA_MAGIC, 0);
  out[8] = ZDELTA_VERSION;
  out[10] = h.frameLog2;
  view.setBigUint64(12, BigInt(h.oldSize), true);
  out.set(Buffer.from(h.oldSha256, 'hex'), 20);
  view.setBigUint64(52, BigInt(h.newSize), true);
  out.set(Buffer.from(h.newSha256, 'hex'), 60);
  view.setUint32(92, h.frameCount, true);
  out.set(headerCheck(out), CHECKED_BYTES);
  return out;
}

function readSize(view: DataView, offset: number, what: string): number {
  const size = view.getBigUint64(offset, true);
  if (size > BigInt(MAX_IMAGE_BYTES)) throw new ZucError(E.DELTA_SIZE_ABSURD, `${what} size ${size} bytes exceeds the ${MAX_IMAGE_BYTES}-byte limit`);
  return Number(size);
}

/** Reads and checks a zdelta header; every inconsistency is a catalogued error. */
export function decodeZdeltaHeader(patch: Uint8Array): ZdeltaHeader {
  if (!startsWith(patch, ZDELTA_MAGIC)) throw new ZucError(E.DELTA_BAD_MAGIC, 'no zdelta magic');
  if (patch.length < ZDELTA_HEADER_BYTES) throw new ZucError(E.DELTA_TRUNCATED, `header needs ${ZDELTA_HEADER_BYTES} bytes, patch has ${patch.length}`);
  if (!Buffer.from(headerCheck(patch)).equals(Buffer.from(patch.subarray(CHECKED_BYTES, ZDELTA_HEADER_BYTES)))) {
    throw new ZucError(E.DELTA_HEADER_CORRUPT, 'header checksum mismatch');
  }
  if (patch[8] !== ZDELTA_VERSION) throw new ZucError(E.DELTA_UNSUPPORTED_VERSION, `format version ${patch[8]}`);
  const view = new DataView(patch.buffer, patch.byteOffset, ZDELTA_HEADER_BYTES);
  const frameLog2 = patch[10]!;
  if (frameLog2 < MIN_FRAME_LOG2 || frameLog2 > MAX_FRAME_LOG2 || patch[9] !== 0 || patch[11] !== 0) {
    throw new ZucError(E.DELTA_UNSUPPORTED_VERSION, `frame size 2^${frameLog2}`);
  }
  const oldSize = readSize(view, 12, 'old image');
  const newSize = readSize(view, 52, 'new image');
  const frameCount = view.getUint32(92, true);
  if (frameCount !== frameCountFor(newSize, frameLog2)) {
    throw new ZucError(E.DELTA_HEADER_CORRUPT, `${frameCount} frames declared for a ${newSize}-byte image`);
  }
  const minimum = ZDELTA_HEADER_BYTES + frameCount * FRAME_HEADER_BYTES;
  if (patch.length < minimum) throw new ZucError(E.DELTA_TRUNCATED, `${frameCount} frames need at least ${minimum} bytes, patch has ${patch.length}`);
  return {
    frameLog2,
    oldSize,
    oldSha256: Buffer.from(patch.subarray(20, 52)).toString('hex'),
    newSize,
    newSha256: Buffer.from(patch.subarray(60, 92)).toString('hex'),
    frameCount,
  };
}
