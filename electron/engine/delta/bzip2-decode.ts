import { E, ZucError } from '../../shared/errors';
import {
  BLOCK_MAGIC_HI, BLOCK_MAGIC_LO, combineCrc, crcOfRange, END_MAGIC_HI, END_MAGIC_LO, GROUP_SIZE, MAX_CODE_BITS, RLE1_THRESHOLD, RUN_A, RUN_B,
} from './bzip2-common';

const MAX_GROUPS = 6;
/** Runs up to this long are written byte by byte: a `fill` call costs more than a short loop. */
const SHORT_RUN_BYTES = 32;
/** Move-to-front moves up to this far are done by a loop, farther ones by `copyWithin`. */
const SHORT_MOVE = 16;
const MAX_SELECTORS_USED = 18002;
/** Codes up to this long decode with one table look-up; longer ones bit by bit. */
const LOOKUP_BITS = 10;

function bad(why: string): ZucError {
  return new ZucError(E.DELTA_BZIP2_CORRUPT, why);
}

/** Reads bits most significant first. Its state is public so the symbol loop can keep it in locals (decodeSymbols). */
class BitReader {
  pos = 0;
  buffer = 0;
  count = 0;
  /** Zero bits appended past the end so that `peek` can look ahead; consuming them means truncation. */
  padding = 0;
  constructor(readonly bytes: Uint8Array) {}

  private fill(n: number): void {
    while (this.count < n) {
      if (this.pos < this.bytes.length) {
        this.buffer = ((this.buffer << 8) | this.bytes[this.pos++]!) >>> 0;
      } else {
        this.buffer = (this.buffer << 8) >>> 0;
        this.padding += 8;
      }
      this.count += 8;
    }
  }

  /** The next n (≤ 24) bits without consuming them; past the end they read as zero. */
  peek(n: number): number {
    this.fill(n);
    return (this.buffer >>> (this.count - n)) & ((1 << n) - 1);
  }

  skip(n: number): void {
    if (this.count - n < this.padding) throw bad('stream ends early');
    this.count -= n;
    this.buffer &= (1 << this.count) - 1;
  }

  /** Up to 24 bits, most significant first. */
  bits(n: number): number {
    const value = this.peek(n);
    this.skip(n);
    return value;
  }

  bit(): number {
    return this.bits(1);
  }

  u32(): number {
    return ((this.bits(16) << 16) | this.bits(16)) >>> 0;
  }
}

/** Canonical Huffman table: codes of one length are consecutive, ordered by symbol. */
interface HuffmanTable {
  /** Indexed by the next LOOKUP_BITS bits: symbol << 5 | code length, or 0 when the code is longer. */
  lookup: Int32Array;
  firstCode: Int32Array;
  count: Int32Array;
  offset: Int32Array;
  symbols: Uint16Array;
}

function buildTable(lengths: Uint8Array): HuffmanTable {
  const count = new Int32Array(MAX_CODE_BITS + 1);
  for (const l of lengths) count[l]!++;
  const offset = new Int32Array(MAX_CODE_BITS + 1);
  const firstCode = new Int32Array(MAX_CODE_BITS + 1);
  let code = 0;
  let index = 0;
  for (let l = 1; l <= MAX_CODE_BITS; l++) {
    firstCode[l] = code;
    offset[l] = index;
    code = (code + count[l]!) << 1;
    index += count[l]!;
  }
  const symbols = new Uint16Array(lengths.length);
  const next = offset.slice();
  for (let s = 0; s < lengths.length; s++) symbols[next[lengths[s]!]!++] = s;
  const lookup = new Int32Array(1 << LOOKUP_BITS);
  for (let l = 1; l <= LOOKUP_BITS; l++) {
    for (let k = 0; k < count[l]!; k++) {
      const prefix = (firstCode[l]! + k) << (LOOKUP_BITS - l);
      lookup.fill((symbols[offset[l]! + k]! << 5) | l, prefix, prefix + (1 << (LOOKUP_BITS - l)));
    }
  }
  return { lookup, firstCode, count, offset, symbols };
}

function decodeSymbol(r: BitReader, t: HuffmanTable): number {
  const hit = t.lookup[r.peek(LOOKUP_BITS)]!;
  if (hit !== 0) {
    r.skip(hit & 31);
    return hit >>> 5;
  }
  let code = 0;
  for (let l = 1; l <= MAX_CODE_BITS; l++) {
    code = (code << 1) | r.bit();
    const k = code - t.firstCode[l]!;
    if (k >= 0 && k < t.count[l]!) return t.symbols[t.offset[l]! + k]!;
  }
  throw bad('invalid Huffman code');
}

/** Output that refuses to grow past the size its caller can justify. */
class BoundedOutput {
  bytes: Uint8Array;
  length = 0;
  constructor(private readonly max: number, sizeHint: number) {
    this.bytes = new Uint8Array(Math.min(max, Math.max(sizeHint, 1 << 16)));
  }

  /** Makes room for `extra` more bytes, or refuses when that would pass the cap. */
  reserve(extra: number): Uint8Array {
    const needed = this.length + extra;
    if (needed > this.max) throw bad(`expands beyond the ${this.max} bytes the patch allows`);
    if (needed > this.bytes.length) {
      const grown = new Uint8Array(Math.min(this.max, Math.max(needed, this.bytes.length * 2)));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    return this.bytes;
  }
}

/**
 * Decodes one bzip2 stream. `maxOutput` caps the result, so a forged stream
 * cannot expand without bound; every structural error or CRC mismatch is
 * DELTA_BZIP2_CORRUPT. `sizeHint` (at most `maxOutput` is allocated) is the
 * expected size, when known: the output is then allocated once instead of
 * growing by copies. `checkCrc: false` skips the block and stream CRCs (a
 * tenth of the decoding time), for callers whose container already checks
 * the packed bytes and the result (zdelta: CRC-32 per frame, SHA-256 of the
 * new image); BSDIFF40 has no other check and keeps them.
 */
export function bunzip2(input: Uint8Array, maxOutput: number, sizeHint = 0, checkCrc = true): Uint8Array {
  if (input.length < 4 || input[0] !== 0x42 || input[1] !== 0x5a || input[2] !== 0x68) throw bad('no bzip2 signature');
  const level = input[3]! - 0x30;
  if (level < 1 || level > 9) throw bad(`block size digit ${String.fromCharCode(input[3]!)}`);
  const blockMax = level * 100_000;
  const r = new BitReader(input.subarray(4));
  const out = new BoundedOutput(maxOutput, sizeHint);
  // Per position of the block: its byte in the low 8 bits, and after the
  // inverse transform's counting pass the next position in the upper bits,
  // so following the chain costs one memory access per byte.
  const tt = new Int32Array(blockMax);
  let combined = 0;

  for (;;) {
    const hi = r.bits(24);
    const lo = r.bits(24);
    if (hi === END_MAGIC_HI && lo === END_MAGIC_LO) {
      if (r.u32() !== combined && checkCrc) throw bad('stream CRC mismatch');
      return out.bytes.subarray(0, out.length);
    }
    if (hi !== BLOCK_MAGIC_HI || lo !== BLOCK_MAGIC_LO) throw bad('bad block magic');
    const blockCrc = r.u32();
    if (r.bit() !== 0) throw bad('randomised blocks (bzip2 0.9.0) are not supported');
    const origPtr = r.bits(24);

    const seqToByte = new Uint8Array(256);
    let inUse = 0;
    const used16 = r.bits(16);
    for (let i = 0; i < 16; i++) {
      if (!(used16 & (0x8000 >> i))) continue;
      const bits = r.bits(16);
      for (let j = 0; j < 16; j++) if (bits & (0x8000 >> j)) seqToByte[inUse++] = i * 16 + j;
    }
    if (inUse === 0) throw bad('block uses no symbols');
    const alphaSize = inUse + 2;
    const endOfBlock = inUse + 1;

    const groups = r.bits(3);
    if (groups < 2 || groups > MAX_GROUPS) throw bad(`${groups} Huffman tables`);
    const selectorCount = r.bits(15);
    if (selectorCount < 1) throw bad('no selectors');
    const order = Uint8Array.from({ length: groups }, (_, i) => i);
    const selectors = new Uint8Array(Math.min(selectorCount, MAX_SELECTORS_USED));
    for (let i = 0; i < selectorCount; i++) {
      let j = 0;
      while (r.bit()) if (++j >= groups) throw bad('selector out of range');
      const g = order[j]!;
      order.copyWithin(1, 0, j);
      order[0] = g;
      if (i < selectors.length) selectors[i] = g;
    }
    const tables: HuffmanTable[] = [];
    for (let g = 0; g < groups; g++) {
      const lengths = new Uint8Array(alphaSize);
      let current = r.bits(5);
      for (let s = 0; s < alphaSize; s++) {
        for (;;) {
          if (current < 1 || current > MAX_CODE_BITS) throw bad('code length out of range');
          if (!r.bit()) break;
          current += r.bit() ? -1 : 1;
        }
        lengths[s] = current;
      }
      tables.push(buildTable(lengths));
    }

    const counts = new Int32Array(256);
    const length = decodeSymbols(r, tables, selectors, seqToByte, endOfBlock, tt, counts, blockMax);
    if (origPtr >= length) throw bad('BWT origin outside the block');
    const crc = undoTransforms(tt, length, origPtr, counts, out, checkCrc);
    if (checkCrc && crc !== blockCrc) throw bad('block CRC mismatch');
    combined = combineCrc(combined, crc);
  }
}


/**
 * Huffman codes, second-stage run lengths and move-to-front, back to the
 * block's BWT output (one byte per entry of `tt`). Returns the block length.
 * Each phase of a block is its own function so V8 optimises it once for
 * all blocks rather than re-entering on-stack replacement for each.
 */
function decodeSymbols(
  r: BitReader, tables: HuffmanTable[], selectors: Uint8Array, seqToByte: Uint8Array, endOfBlock: number, tt: Int32Array, counts: Int32Array, blockMax: number,
): number {
  const mtf = Uint8Array.from({ length: 256 }, (_, i) => i);
  let length = 0;
  let selector = 0;
  let left = 0;
  let table = tables[0]!;
  let run = 0;
  let runWeight = 1;
  // The bit reader's state in locals: the per-symbol look-up is the hot path of decoding.
  const bytes = r.bytes;
  let pos = r.pos;
  let buffer = r.buffer;
  let count = r.count;
  let padding = r.padding;
  for (;;) {
    if (left === 0) {
      if (selector >= selectors.length) throw bad('more groups than selectors');
      table = tables[selectors[selector++]!]!;
      left = GROUP_SIZE;
    }
    left--;
    while (count < LOOKUP_BITS) {
      if (pos < bytes.length) {
        buffer = ((buffer << 8) | bytes[pos++]!) >>> 0;
      } else {
        buffer = (buffer << 8) >>> 0;
        padding += 8;
      }
      count += 8;
    }
    const hit = table.lookup[(buffer >>> (count - LOOKUP_BITS)) & ((1 << LOOKUP_BITS) - 1)]!;
    let sym: number;
    if (hit !== 0) {
      const bits = hit & 31;
      if (count - bits < padding) throw bad('stream ends early');
      count -= bits;
      buffer &= (1 << count) - 1;
      sym = hit >>> 5;
    } else {
      // A code longer than the look-up table: rare, through the reader's own methods.
      r.pos = pos;
      r.buffer = buffer;
      r.count = count;
      r.padding = padding;
      sym = decodeSymbol(r, table);
      pos = r.pos;
      buffer = r.buffer;
      count = r.count;
      padding = r.padding;
    }
    if (sym === RUN_A || sym === RUN_B) {
      run += runWeight * (sym + 1);
      runWeight *= 2;
      if (run > blockMax) throw bad('run longer than a block');
      continue;
    }
    if (run > 0) {
      if (length + run > blockMax) throw bad('block longer than declared');
      const b = seqToByte[mtf[0]!]!;
      if (run <= SHORT_RUN_BYTES) for (let k = length; k < length + run; k++) tt[k] = b;
      else tt.fill(b, length, length + run);
      counts[b]! += run;
      length += run;
      run = 0;
      runWeight = 1;
    }
    if (sym === endOfBlock) {
      r.pos = pos;
      r.buffer = buffer;
      r.count = count;
      r.padding = padding;
      break;
    }
    if (sym > endOfBlock) throw bad('symbol out of range');
    const index = sym - 1;
    const m = mtf[index]!;
    // Diff streams use most of the 256 byte values, so far moves are common: a builtin copy beats the loop there.
    if (index < SHORT_MOVE) for (let k = index; k > 0; k--) mtf[k] = mtf[k - 1]!;
    else mtf.copyWithin(1, 0, index);
    mtf[0] = m;
    if (length >= blockMax) throw bad('block longer than declared');
    const b = seqToByte[m]!;
    tt[length++] = b;
    counts[b]!++;
  }
  return length;
}


/**
 * Inverse Burrows–Wheeler transform, then the first-stage run lengths;
 * returns the block CRC of what it appended to `out` (0 unless `checkCrc`).
 *
 * Bytes of `out` past its length are always zero (fresh arrays are zeroed
 * and only the written part is copied when it grows), so a run of zeros —
 * most of a delta's diff stream — costs nothing but moving the cursor.
 */
function undoTransforms(tt: Int32Array, length: number, origPtr: number, counts: Int32Array, out: BoundedOutput, checkCrc: boolean): number {
  linkPositions(tt, length, counts);
  const blockStart = out.length;
  const end = unfold(tt, length, origPtr, out);
  out.length = end;
  return checkCrc ? crcOfRange(out.bytes, blockStart, end) : 0;
}

/**
 * The inverse transform's counting pass: the upper bits of each entry get the
 * position of the next byte. Each loop of the decoder is its own function
 * ending with the loop, so the code V8 compiles while the loop runs is not
 * thrown away at the end of every block (see crcUpdateRange).
 */
function linkPositions(tt: Int32Array, length: number, counts: Int32Array): void {
  const start = new Int32Array(256);
  for (let c = 1; c < 256; c++) start[c] = start[c - 1]! + counts[c - 1]!;
  for (let i = 0; i < length; i++) tt[start[tt[i]! & 0xff]!++]! |= i << 8;
}

/** Follows the chain from the origin and undoes the first-stage run lengths into `out`; returns the new output length. */
function unfold(tt: Int32Array, length: number, origPtr: number, out: BoundedOutput): number {
  let p = tt[origPtr]! >>> 8;
  let previous = -1;
  let same = 0;
  let bytes = out.reserve(0);
  let o = out.length;
  for (let i = 0; i < length; i++) {
    const v = tt[p]!;
    const b = v & 0xff;
    p = v >>> 8;
    if (same === RLE1_THRESHOLD) {
      if (o + b > bytes.length) {
        out.length = o;
        bytes = out.reserve(b);
      }
      if (previous !== 0) {
        if (b <= SHORT_RUN_BYTES) for (let k = 0; k < b; k++) bytes[o + k] = previous;
        else bytes.fill(previous, o, o + b);
      }
      o += b;
      same = 0;
      previous = -1;
      continue;
    }
    same = b === previous ? same + 1 : 1;
    previous = b;
    if (o === bytes.length) {
      out.length = o;
      bytes = out.reserve(1);
    }
    bytes[o++] = b;
  }
  return o;
}
