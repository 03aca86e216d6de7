import { E, ZucError } from '../../../electron/shared/errors';
import { crc32, crc32Combine } from './crc32';
import { FRAME_HEADER_BYTES, FRAME_MAGIC, FRAME_TRAILER_BYTES, headerCheck, type Frame } from './frame';

/**
 * What the decoder found in the byte stream: a whole frame, or a frame whose
 * header was good but whose CRC was not (the header's seq is trustworthy, so
 * the receiver can answer or fail exactly that request).
 */
export type DecodeEvent =
  | { kind: 'frame'; frame: Frame }
  | { kind: 'corrupt'; error: ZucError; type: number; flags: number; seq: number };

/**
 * Incremental v1 frame decoder: feed it chunks as they arrive, in any split.
 * Garbage before or between frames (and headers that fail their check) is
 * skipped byte by byte, which is what resynchronises a noisy serial line.
 *
 * Payloads are views, not copies: a frame that arrived within one chunk is a
 * view of that chunk (links never reuse the chunks they deliver), and a
 * frame split across chunks is assembled once into a buffer of its own size.
 * Every payload byte is copied at most once and CRC'd once.
 */
export class FrameDecoder {
  /** Bytes from a magic on that do not yet make a whole header (at most a header's worth). */
  private leftover: Uint8Array = EMPTY;
  /** A frame whose header was good, being filled by the chunks that follow. */
  private assembling: { bytes: Uint8Array; filled: number } | undefined;
  private slab: Uint8Array = EMPTY;
  private slabUsed = 0;
  /** Bytes skipped as garbage since creation. */
  garbageBytes = 0;

  push(chunk: Uint8Array): DecodeEvent[] {
    const events: DecodeEvent[] = [];
    let data = chunk;
    let pos = 0;
    const a = this.assembling;
    if (a) {
      const n = Math.min(a.bytes.length - a.filled, chunk.length);
      a.bytes.set(chunk.subarray(0, n), a.filled);
      a.filled += n;
      if (a.filled < a.bytes.length) return events;
      this.assembling = undefined;
      events.push(checkFrame(a.bytes));
      pos = n;
    }
    if (this.leftover.length > 0) {
      // A header split across chunks: rare (11 bytes of ~60 KiB), so joining costs little.
      const rest = chunk.subarray(pos);
      data = new Uint8Array(this.leftover.length + rest.length);
      data.set(this.leftover);
      data.set(rest, this.leftover.length);
      pos = 0;
      this.leftover = EMPTY;
    }
    for (;;) {
      pos = this.skipToMagic(data, pos);
      const available = data.length - pos;
      if (available < FRAME_HEADER_BYTES) {
        if (available > 0) this.leftover = data.slice(pos);
        break;
      }
      if (readU16(data, pos + 9) !== headerCheck(data.subarray(pos, pos + FRAME_HEADER_BYTES))) {
        this.garbageBytes++;
        pos++;
        continue;
      }
      const total = FRAME_HEADER_BYTES + readU16(data, pos + 7) + FRAME_TRAILER_BYTES;
      if (available < total) {
        const bytes = this.frameBuffer(total);
        bytes.set(data.subarray(pos));
        this.assembling = { bytes, filled: available };
        break;
      }
      events.push(checkFrame(data.subarray(pos, pos + total)));
      pos += total;
    }
    return events;
  }

  /** True while part of a frame (from its magic on) is waiting for the rest. */
  get hasPartialFrame(): boolean {
    return this.assembling !== undefined || this.leftover.length > 0;
  }

  /** The link ended: a partial frame is FRAME_TRUNCATED. Clears the buffer. */
  finish(): ZucError | undefined {
    const partial = this.assembling?.filled ?? this.leftover.length;
    this.reset();
    return partial > 0 ? new ZucError(E.FRAME_TRUNCATED, `${partial} bytes of an unfinished frame`) : undefined;
  }

  /** Drops whatever is buffered (after a frame gap timeout or a reboot). */
  reset(): void {
    this.assembling = undefined;
    this.leftover = EMPTY;
  }

  /**
   * Room for one frame split across chunks, cut from a shared slab: one
   * ArrayBuffer per frame made the garbage collector the largest cost of a
   * fast write. A slab lives as long as any frame cut from it.
   */
  private frameBuffer(total: number): Uint8Array {
    if (this.slab.length - this.slabUsed < total) {
      this.slab = new Uint8Array(Math.max(ASSEMBLY_SLAB_BYTES, total));
      this.slabUsed = 0;
    }
    const out = this.slab.subarray(this.slabUsed, this.slabUsed + total);
    this.slabUsed += total;
    return out;
  }

  /** Position of the next magic (or of a lone first magic byte at the end); what lies before is garbage. */
  private skipToMagic(data: Uint8Array, from: number): number {
    let i = from;
    while (i < data.length) {
      if (data[i] === FRAME_MAGIC[0] && (i + 1 === data.length || data[i + 1] === FRAME_MAGIC[1])) break;
      i++;
    }
    this.garbageBytes += i - from;
    return i;
  }
}

const EMPTY = new Uint8Array(0);
/** Frames split across chunks are assembled in slabs of this size (16 frames of the largest size). */
const ASSEMBLY_SLAB_BYTES = 1024 * 1024;

function readU16(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8);
}

/** A whole frame (header already checked): its CRC decides between a frame and a corrupt event. */
function checkFrame(whole: Uint8Array): DecodeEvent {
  const crcAt = whole.length - FRAME_TRAILER_BYTES;
  const expected = (readU16(whole, crcAt) | (readU16(whole, crcAt + 2) << 16)) >>> 0;
  const type = whole[3]!;
  const flags = whole[4]!;
  const seq = readU16(whole, 5);
  const payload = whole.subarray(FRAME_HEADER_BYTES, crcAt);
  // Header and payload CRC'd apart and combined: the payload's own CRC comes for free.
  const payloadCrc = crc32(payload);
  if (crc32Combine(crc32(whole.subarray(0, FRAME_HEADER_BYTES)), payloadCrc, payload.length) !== expected) {
    return { kind: 'corrupt', error: new ZucError(E.FRAME_BAD_CRC, `frame type 0x${type.toString(16)} seq ${seq}`), type, flags, seq };
  }
  return { kind: 'frame', frame: { version: whole[2]!, type, flags, seq, payload, payloadCrc } };
}
