import { E, ZucError } from '../../shared/errors';
import { OUTPUT_CHUNK_BYTES } from './limits';

/** One control entry: add `add` diff bytes to old, copy `copy` extra bytes, then move the old cursor by `seek`. */
export interface ControlEntry {
  add: number;
  copy: number;
  seek: number;
}

/** Yields control entries one at a time from a decoded control stream. */
export interface ControlSource {
  /** Fills `entry` and returns true, or returns false at the end of the section. */
  next(entry: ControlEntry): boolean;
}

/** A decoded part of a patch: its controls and the diff and extra bytes they consume, producing `outputBytes`. */
export interface PatchSection {
  controls: ControlSource;
  diff: Uint8Array;
  extra: Uint8Array;
  outputBytes: number;
}

export interface RunOptions {
  /** Write into this buffer (its length is the new size) instead of fresh chunks. */
  output?: Uint8Array;
  /**
   * bspatch semantics: old bytes outside the old image count as zero. Our
   * own format instead refuses such an entry as corrupt.
   */
  oldOutsideIsZero?: boolean;
}

/**
 * A plain Uint8Array view of the same bytes. Node hands out Buffers (file
 * reads, brotli) and our decoders plain Uint8Arrays; mixing both in the byte
 * loops makes their element accesses polymorphic, about 3× slower per byte.
 */
function plain(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

// The byte loops live in plain functions: V8 optimises a generator's body
// late (it is entered once per patch), but these run hot from the first frame.
// Each is a single loop with nothing after it: V8 compiles a hot loop while it
// runs (OSR), and code after the loop that had not run yet then had no type
// feedback and threw the compiled code away at the end of every call
// (measured: ~1,500 times in one libcrypto apply).
function addBytes(out: Uint8Array, at: number, old: Uint8Array, oldPos: number, diff: Uint8Array, diffWords: Int32Array, diffPos: number, n: number): void {
  // Diff bytes are mostly zero (9 in 10 on the corpus): copy the old bytes at memcpy speed, then
  // touch only the changed ones.
  out.set(old.subarray(oldPos, oldPos + n), at);
  addChanged(out, at, diff, diffWords, diffPos, n);
}

/** Adds the non-zero diff bytes, skipping zeros four at a time on word boundaries of the diff stream. */
function addChanged(out: Uint8Array, at: number, diff: Uint8Array, diffWords: Int32Array, diffPos: number, n: number): void {
  for (let i = 0; i < n; ) {
    if (((diffPos + i) & 3) === 0 && i + 4 <= n && diffWords[(diffPos + i) >> 2] === 0) {
      i += 4;
      continue;
    }
    const d = diff[diffPos + i]!;
    if (d !== 0) out[at + i] = out[at + i]! + d;
    i++;
  }
}

/** The diff stream as 32-bit words, for skipping zeros; a stream not starting on a word boundary is copied to one that does. */
function wordAligned(diff: Uint8Array): Uint8Array {
  return diff.byteOffset % 4 === 0 ? diff : diff.slice();
}

function addBytesClipped(out: Uint8Array, at: number, old: Uint8Array, oldPos: number, diff: Uint8Array, diffPos: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const o = oldPos + i;
    out[at + i] = (o >= 0 && o < old.length ? old[o]! : 0) + diff[diffPos + i]!;
  }
}

/**
 * Applies sections one after another and yields the output in chunks of
 * OUTPUT_CHUNK_BYTES (or, with `options.output`, once, as that buffer). A
 * yielded chunk is never written again, so a sink may keep it.
 */
export function* runPatch(oldImage: Uint8Array, sections: Iterable<PatchSection>, newSize: number, options: RunOptions = {}): Generator<Uint8Array> {
  const old = plain(oldImage);
  const fixed = options.output && plain(options.output);
  const capacity = fixed ? newSize : Math.min(OUTPUT_CHUNK_BYTES, newSize);
  let chunk = fixed ?? new Uint8Array(capacity);
  let fill = 0;
  let produced = 0;
  let oldPos = 0;
  const entry: ControlEntry = { add: 0, copy: 0, seek: 0 };
  const corrupt = (why: string): ZucError => new ZucError(E.DELTA_STREAM_CORRUPT, `${why} (output offset ${produced + fill})`);

  for (const section of sections) {
    const diff = wordAligned(plain(section.diff));
    const diffWords = new Int32Array(diff.buffer, diff.byteOffset, diff.length >> 2);
    const extra = plain(section.extra);
    let diffPos = 0;
    let extraPos = 0;
    let sectionOut = 0;
    while (section.controls.next(entry)) {
      const { add, copy, seek } = entry;
      if (add > diff.length - diffPos || copy > extra.length - extraPos) throw corrupt('control entry reads past its stream');
      if (add + copy > section.outputBytes - sectionOut) throw corrupt('control entries produce more than the declared size');
      const inRange = oldPos >= 0 && oldPos + add <= old.length;
      if (add > 0 && !inRange && !options.oldOutsideIsZero) throw corrupt(`old offset ${oldPos}+${add} outside the ${old.length}-byte old image`);
      sectionOut += add + copy;

      let left = add;
      while (left > 0) {
        if (fill === chunk.length) {
          yield chunk;
          produced += fill;
          chunk = new Uint8Array(Math.min(capacity, newSize - produced));
          fill = 0;
        }
        const n = Math.min(left, chunk.length - fill);
        if (inRange) addBytes(chunk, fill, old, oldPos, diff, diffWords, diffPos, n);
        else addBytesClipped(chunk, fill, old, oldPos, diff, diffPos, n);
        fill += n;
        oldPos += n;
        diffPos += n;
        left -= n;
      }
      left = copy;
      while (left > 0) {
        if (fill === chunk.length) {
          yield chunk;
          produced += fill;
          chunk = new Uint8Array(Math.min(capacity, newSize - produced));
          fill = 0;
        }
        const n = Math.min(left, chunk.length - fill);
        chunk.set(extra.subarray(extraPos, extraPos + n), fill);
        fill += n;
        extraPos += n;
        left -= n;
      }
      oldPos += seek;
    }
    if (sectionOut !== section.outputBytes) throw corrupt(`section produced ${sectionOut} of its ${section.outputBytes} bytes`);
  }
  if (produced + fill !== newSize) throw corrupt(`patch produced ${produced + fill} of ${newSize} bytes`);
  if (fill > 0) yield chunk.subarray(0, fill);
}
