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

/** Where the applier stands: output chunk and cursors, and what is left of the current control entry. */
interface ApplyState {
  chunk: Uint8Array;
  fill: number;
  produced: number;
  oldPos: number;
  diffPos: number;
  extraPos: number;
  sectionOut: number;
  /** Whether an entry has been read and not yet finished. */
  entryOpen: boolean;
  addLeft: number;
  copyLeft: number;
  seekAfter: number;
  inRange: boolean;
}

interface SectionInput {
  section: PatchSection;
  old: Uint8Array;
  diff: Uint8Array;
  diffWords: Int32Array;
  extra: Uint8Array;
  entry: ControlEntry;
  oldOutsideIsZero: boolean;
}

/**
 * Runs the section's entries into the current chunk until it is full and
 * more is to be written (true) or the entries are used up (false). A plain
 * function rather than the generator's body: V8 compiles a generator late
 * (only after many resumptions, one per chunk) but a hot loop here at once,
 * which roughly halved the first apply of a patch with many entries.
 */
function fillChunk(s: ApplyState, input: SectionInput): boolean {
  const { section, old, diff, diffWords, extra, entry } = input;
  for (;;) {
    if (!s.entryOpen) {
      if (!section.controls.next(entry)) return false;
      const { add, copy } = entry;
      if (add > diff.length - s.diffPos || copy > extra.length - s.extraPos) throw corrupt(s, 'control entry reads past its stream');
      if (add + copy > section.outputBytes - s.sectionOut) throw corrupt(s, 'control entries produce more than the declared size');
      s.inRange = s.oldPos >= 0 && s.oldPos + add <= old.length;
      if (add > 0 && !s.inRange && !input.oldOutsideIsZero) throw corrupt(s, `old offset ${s.oldPos}+${add} outside the ${old.length}-byte old image`);
      s.sectionOut += add + copy;
      s.addLeft = add;
      s.copyLeft = copy;
      s.seekAfter = entry.seek;
      s.entryOpen = true;
    }
    while (s.addLeft > 0) {
      if (s.fill === s.chunk.length) return true;
      const n = Math.min(s.addLeft, s.chunk.length - s.fill);
      if (s.inRange) addBytes(s.chunk, s.fill, old, s.oldPos, diff, diffWords, s.diffPos, n);
      else addBytesClipped(s.chunk, s.fill, old, s.oldPos, diff, s.diffPos, n);
      s.fill += n;
      s.oldPos += n;
      s.diffPos += n;
      s.addLeft -= n;
    }
    while (s.copyLeft > 0) {
      if (s.fill === s.chunk.length) return true;
      const n = Math.min(s.copyLeft, s.chunk.length - s.fill);
      s.chunk.set(extra.subarray(s.extraPos, s.extraPos + n), s.fill);
      s.fill += n;
      s.extraPos += n;
      s.copyLeft -= n;
    }
    s.oldPos += s.seekAfter;
    s.entryOpen = false;
  }
}

function corrupt(s: ApplyState, why: string): ZucError {
  return new ZucError(E.DELTA_STREAM_CORRUPT, `${why} (output offset ${s.produced + s.fill})`);
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
  const s: ApplyState = {
    chunk: fixed ?? new Uint8Array(capacity),
    fill: 0,
    produced: 0,
    oldPos: 0,
    diffPos: 0,
    extraPos: 0,
    sectionOut: 0,
    entryOpen: false,
    addLeft: 0,
    copyLeft: 0,
    seekAfter: 0,
    inRange: true,
  };
  const entry: ControlEntry = { add: 0, copy: 0, seek: 0 };

  for (const section of sections) {
    const diff = wordAligned(plain(section.diff));
    const input: SectionInput = {
      section,
      old,
      diff,
      diffWords: new Int32Array(diff.buffer, diff.byteOffset, diff.length >> 2),
      extra: plain(section.extra),
      entry,
      oldOutsideIsZero: options.oldOutsideIsZero === true,
    };
    s.diffPos = 0;
    s.extraPos = 0;
    s.sectionOut = 0;
    s.entryOpen = false;
    while (fillChunk(s, input)) {
      yield s.chunk;
      s.produced += s.fill;
      s.chunk = new Uint8Array(Math.min(capacity, newSize - s.produced));
      s.fill = 0;
    }
    if (s.sectionOut !== section.outputBytes) throw corrupt(s, `section produced ${s.sectionOut} of its ${section.outputBytes} bytes`);
  }
  if (s.produced + s.fill !== newSize) throw corrupt(s, `patch produced ${s.produced + s.fill} of ${newSize} bytes`);
  if (s.fill > 0) yield s.chunk.subarray(0, s.fill);
}
