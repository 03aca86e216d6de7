import { E, ZucError } from '../../../electron/shared/errors';
import { crc32 } from './crc32';
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
 */
export class FrameDecoder {
  private buf = new Uint8Array(4096);
  private start = 0;
  private end = 0;
  /** Bytes skipped as garbage since creation. */
  garbageBytes = 0;

  push(chunk: Uint8Array): DecodeEvent[] {
    this.append(chunk);
    const events: DecodeEvent[] = [];
    for (;;) {
      this.skipToMagic();
      const available = this.end - this.start;
      if (available < FRAME_HEADER_BYTES) break;
      const header = this.buf.subarray(this.start, this.start + FRAME_HEADER_BYTES);
      const view = new DataView(header.buffer, header.byteOffset, FRAME_HEADER_BYTES);
      if (view.getUint16(9, true) !== headerCheck(header)) {
        this.discard(1);
        continue;
      }
      const length = view.getUint16(7, true);
      const total = FRAME_HEADER_BYTES + length + FRAME_TRAILER_BYTES;
      if (available < total) break;
      const whole = this.buf.subarray(this.start, this.start + total);
      const crcAt = FRAME_HEADER_BYTES + length;
      const expected = new DataView(whole.buffer, whole.byteOffset + crcAt, 4).getUint32(0, true);
      const type = header[3]!;
      const flags = header[4]!;
      const seq = view.getUint16(5, true);
      if (crc32(whole.subarray(0, crcAt)) !== expected) {
        events.push({ kind: 'corrupt', error: new ZucError(E.FRAME_BAD_CRC, `frame type 0x${type.toString(16)} seq ${seq}`), type, flags, seq });
      } else {
        events.push({ kind: 'frame', frame: { version: header[2]!, type, flags, seq, payload: whole.slice(FRAME_HEADER_BYTES, crcAt) } });
      }
      this.start += total;
    }
    return events;
  }

  /** True while part of a frame (from its magic on) is waiting for the rest. */
  get hasPartialFrame(): boolean {
    return this.end > this.start;
  }

  /** The link ended: a partial frame is FRAME_TRUNCATED. Clears the buffer. */
  finish(): ZucError | undefined {
    const partial = this.end - this.start;
    this.reset();
    return partial > 0 ? new ZucError(E.FRAME_TRUNCATED, `${partial} bytes of an unfinished frame`) : undefined;
  }

  /** Drops whatever is buffered (after a frame gap timeout or a reboot). */
  reset(): void {
    this.start = 0;
    this.end = 0;
  }

  private skipToMagic(): void {
    let i = this.start;
    while (i < this.end) {
      if (this.buf[i] === FRAME_MAGIC[0] && (i + 1 === this.end || this.buf[i + 1] === FRAME_MAGIC[1])) break;
      i++;
    }
    this.discard(i - this.start);
  }

  private discard(n: number): void {
    this.garbageBytes += n;
    this.start += n;
    if (this.start === this.end) this.reset();
  }

  private append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - this.start;
      const size = Math.max(this.buf.length, (live + chunk.length) * 2);
      const next = size === this.buf.length ? this.buf : new Uint8Array(size);
      // set() copies correctly even when source and target share the buffer.
      next.set(this.buf.subarray(this.start, this.end), 0);
      this.buf = next;
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }
}
