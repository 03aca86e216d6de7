import {
  BLOCK_MAGIC_HI, BLOCK_MAGIC_LO, combineCrc, crcOfRange, END_MAGIC_HI, END_MAGIC_LO, GROUP_SIZE, RLE1_THRESHOLD, RUN_A, RUN_B,
} from './bzip2-common';
import { buildSuffixArray } from './suffix-array';

/** libbz2's safety margin below the nominal block size (100 000 × level bytes after the first-stage run-length code). */
const BLOCK_MARGIN_BYTES = 19;
export const MAX_BZIP2_LEVEL = 9;
/** libbz2's encoder never makes codes longer than 17 bits (decoders accept 20). */
const MAX_ENCODE_BITS = 17;
const LONGEST_RLE1_RUN = 255;

class BitWriter {
  private bytes = new Uint8Array(1 << 16);
  private length = 0;
  private buffer = 0;
  private count = 0;

  /** Up to 24 bits, most significant first. */
  bits(n: number, value: number): void {
    this.buffer = ((this.buffer << n) | (value & ((1 << n) - 1))) >>> 0;
    this.count += n;
    while (this.count >= 8) {
      this.count -= 8;
      this.byte((this.buffer >>> this.count) & 0xff);
    }
    this.buffer &= (1 << this.count) - 1;
  }

  /**
   * The codes of symbols[from, to), in locals: per symbol this is the
   * encoder's hottest call, and a method call with field updates per code
   * cost twice as much.
   */
  codes(symbols: Uint16Array, from: number, to: number, lengths: Uint8Array, codes: Int32Array): void {
    this.reserve(((to - from) * MAX_ENCODE_BITS) >>> 3);
    const out = this.bytes;
    let at = this.length;
    let buffer = this.buffer;
    let count = this.count;
    for (let i = from; i < to; i++) {
      const s = symbols[i]!;
      // At most 7 pending bits and a 17-bit code: bits above the pending ones are never read, so they may overflow.
      buffer = (buffer << lengths[s]!) | codes[s]!;
      count += lengths[s]!;
      while (count >= 8) {
        count -= 8;
        out[at++] = buffer >>> count;
      }
    }
    this.length = at;
    this.buffer = buffer & ((1 << count) - 1);
    this.count = count;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.length + bytes));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  u32(value: number): void {
    this.bits(16, value >>> 16);
    this.bits(16, value & 0xffff);
  }

  private byte(b: number): void {
    this.reserve(1);
    this.bytes[this.length++] = b;
  }

  /** Appends a stream of `bitLength` bits written by another BitWriter (a block encoded elsewhere): blocks are not byte-aligned. */
  append(bits: BitStream): void {
    const src = bits.bytes;
    const whole = bits.bitLength >>> 3;
    this.reserve(whole + 1);
    const out = this.bytes;
    const pending = this.count;
    if (pending === 0) {
      out.set(src.subarray(0, whole), this.length);
      this.length += whole;
    } else {
      // Each output byte is the pending bits followed by the top of the next input byte, whose low bits stay pending.
      let carry = this.buffer;
      let at = this.length;
      const keep = (1 << pending) - 1;
      for (let i = 0; i < whole; i++) {
        const b = src[i]!;
        out[at++] = (carry << (8 - pending)) | (b >>> pending);
        carry = b & keep;
      }
      this.length = at;
      this.buffer = carry;
    }
    const rest = bits.bitLength & 7;
    if (rest > 0) this.bits(rest, src[whole]! >>> (8 - rest));
  }

  /** Everything written so far, the last byte padded with zero bits. */
  finish(): Uint8Array {
    if (this.count > 0) this.bits(8 - this.count, 0);
    return this.bytes.slice(0, this.length);
  }

  /** Everything written so far with its exact length in bits. */
  stream(): BitStream {
    const bitLength = this.length * 8 + this.count;
    return { bytes: this.finish(), bitLength };
  }
}

/** Bits, most significant first, in whole bytes (the last one padded with zeros). */
export interface BitStream {
  bytes: Uint8Array;
  bitLength: number;
}

/** Huffman code lengths no longer than MAX_ENCODE_BITS; rare symbols are made less rare until the tree is shallow enough. */
function codeLengths(freq: Int32Array): Uint8Array {
  const n = freq.length;
  const weight = Float64Array.from(freq, (f) => Math.max(f, 1));
  for (;;) {
    const lengths = huffmanLengths(weight);
    if (lengths.every((l) => l <= MAX_ENCODE_BITS)) return lengths;
    for (let s = 0; s < n; s++) weight[s] = 1 + Math.floor(weight[s]! / 2);
  }
}

/** More than the largest alphabet (256 byte values, RUNA/RUNB and end of block, less the one MTF never writes). */
const SYMBOL_SLOTS = 512;

/**
 * Huffman code lengths by the two-queue method: leaves sorted by weight, and
 * merged nodes, which are created in order of weight, in a second queue; the
 * two lightest of both heads are merged each step. O(n log n) for the sort
 * (a plain selection was O(n²) and a sixth of bzip2's encoding time).
 */
function huffmanLengths(weight: Float64Array): Uint8Array {
  const n = weight.length;
  const lengths = new Uint8Array(n);
  if (n === 1) {
    lengths[0] = 1;
    return lengths;
  }
  // By weight, ties by symbol, so the codes do not depend on the sort's stability: as one number per leaf (weights are
  // whole numbers far below 2^44), which a typed array sorts natively, several times faster than with a comparator.
  const keys = new Float64Array(n);
  for (let s = 0; s < n; s++) keys[s] = weight[s]! * SYMBOL_SLOTS + s;
  keys.sort();
  const leaves = new Int32Array(n);
  for (let k = 0; k < n; k++) leaves[k] = keys[k]! % SYMBOL_SLOTS;
  const mergedWeight = new Float64Array(n - 1);
  // Parent of every node: leaves 0..n-1, merged nodes n..2n-2.
  const parent = new Int32Array(2 * n - 1).fill(-1);
  let leaf = 0;
  let mergedHead = 0;
  const takeLightest = (mergedCount: number): number => {
    if (leaf < n && (mergedHead >= mergedCount || weight[leaves[leaf]!]! <= mergedWeight[mergedHead]!)) return leaves[leaf++]!;
    return n + mergedHead++;
  };
  const weightOf = (node: number): number => (node < n ? weight[node]! : mergedWeight[node - n]!);
  for (let m = 0; m < n - 1; m++) {
    const a = takeLightest(m);
    const b = takeLightest(m);
    mergedWeight[m] = weightOf(a) + weightOf(b);
    parent[a] = n + m;
    parent[b] = n + m;
  }
  // Depth of a merged node from the root (the last one), parents come later in the array.
  const depth = new Int32Array(n - 1);
  for (let m = n - 3; m >= 0; m--) depth[m] = depth[parent[n + m]! - n]! + 1;
  // Capped so a degenerate tree cannot wrap around in a byte and pass the caller's length check.
  for (let s = 0; s < n; s++) lengths[s] = Math.min(255, depth[parent[s]! - n]! + 1);
  return lengths;
}

function canonicalCodes(lengths: Uint8Array): Int32Array {
  const codes = new Int32Array(lengths.length);
  let code = 0;
  for (let l = 1; l <= MAX_ENCODE_BITS; l++) {
    for (let s = 0; s < lengths.length; s++) if (lengths[s] === l) codes[s] = code++;
    code <<= 1;
  }
  return codes;
}

/** Sorted rotations of the block, by sorting the suffixes of the block written twice. */
function burrowsWheeler(block: Uint8Array): { last: Uint8Array; origin: number } {
  const n = block.length;
  const doubled = new Uint8Array(2 * n);
  doubled.set(block, 0);
  doubled.set(block, n);
  const sa = buildSuffixArray(doubled);
  const last = new Uint8Array(n);
  const origin = lastColumn(sa, block, last);
  return { last, origin };
}

/** Fills `last` with the byte before each rotation in sorted order; returns the row of the unrotated block. Its own function: see crcUpdateRange. */
function lastColumn(sa: Int32Array, block: Uint8Array, last: Uint8Array): number {
  const n = block.length;
  let origin = 0;
  let k = 0;
  for (let i = 0; i < sa.length; i++) {
    const p = sa[i]!;
    if (p >= n) continue;
    if (p === 0) origin = k;
    last[k++] = block[p === 0 ? n - 1 : p - 1]!;
  }
  return origin;
}

/** Which byte values occur in the block. Its own function: see crcUpdateRange. */
function bytesUsed(block: Uint8Array): Uint8Array {
  const used = new Uint8Array(256);
  for (let i = 0; i < block.length; i++) used[block[i]!] = 1;
  return used;
}

/**
 * Move-to-front of the last column, with runs of index 0 written as bijective
 * base-2 numbers in RUNA/RUNB. Fills `symbols` and `freq`, returns the
 * symbol count (without the end-of-block symbol).
 */
function moveToFront(last: Uint8Array, byteToSeq: Int32Array, inUse: number, symbols: Uint16Array, freq: Int32Array): number {
  let count = 0;
  const mtf = new Uint8Array(inUse);
  for (let i = 0; i < inUse; i++) mtf[i] = i;
  let zeros = 0;
  for (let i = 0; i <= last.length; i++) {
    // One step past the end flushes the last run of zeros.
    const seq = i < last.length ? byteToSeq[last[i]!]! : -1;
    if (seq === mtf[0]) {
      zeros++;
      continue;
    }
    while (zeros > 0) {
      const digit = zeros & 1 ? RUN_A : RUN_B;
      symbols[count++] = digit;
      freq[digit]!++;
      zeros = (zeros - (digit === RUN_A ? 1 : 2)) / 2;
    }
    if (seq < 0) break;
    // Search and shift in one pass.
    let j = 0;
    let moved = mtf[0]!;
    while (moved !== seq) {
      const next = mtf[++j]!;
      mtf[j] = moved;
      moved = next;
    }
    mtf[0] = seq;
    symbols[count++] = j + 1;
    freq[j + 1]!++;
  }
  return count;
}

function writeBlock(w: BitWriter, block: Uint8Array, blockCrc: number): void {
  const { last, origin } = burrowsWheeler(block);
  const used = bytesUsed(block);
  const byteToSeq = new Int32Array(256);
  let inUse = 0;
  for (let b = 0; b < 256; b++) if (used[b]) byteToSeq[b] = inUse++;
  const endOfBlock = inUse + 1;
  const alphaSize = inUse + 2;

  const symbols = new Uint16Array(last.length + 1);
  const freq = new Int32Array(alphaSize);
  let count = moveToFront(last, byteToSeq, inUse, symbols, freq);
  symbols[count++] = endOfBlock;
  freq[endOfBlock]!++;

  const { tables, selectors } = chooseTables(symbols.subarray(0, count), freq);
  const codes = tables.map(canonicalCodes);
  const selectorCount = selectors.length;
  w.bits(24, BLOCK_MAGIC_HI);
  w.bits(24, BLOCK_MAGIC_LO);
  w.u32(blockCrc);
  w.bits(1, 0);
  w.bits(24, origin);
  let used16 = 0;
  for (let i = 0; i < 16; i++) if (used.subarray(i * 16, i * 16 + 16).some((u) => u)) used16 |= 0x8000 >> i;
  w.bits(16, used16);
  for (let i = 0; i < 16; i++) {
    if (!(used16 & (0x8000 >> i))) continue;
    let bits = 0;
    for (let j = 0; j < 16; j++) if (used[i * 16 + j]) bits |= 0x8000 >> j;
    w.bits(16, bits);
  }
  w.bits(3, tables.length);
  w.bits(15, selectorCount);
  const order = Uint8Array.from(tables.keys());
  for (const g of selectors) {
    let j = 0;
    while (order[j] !== g) j++;
    order.copyWithin(1, 0, j);
    order[0] = g;
    for (let k = 0; k < j; k++) w.bits(1, 1);
    w.bits(1, 0);
  }
  for (const lengths of tables) {
    let current = lengths[0]!;
    w.bits(5, current);
    for (let s = 0; s < alphaSize; s++) {
      const target = lengths[s]!;
      while (current < target) {
        w.bits(2, 0b10);
        current++;
      }
      while (current > target) {
        w.bits(2, 0b11);
        current--;
      }
      w.bits(1, 0);
    }
  }
  writeSymbols(w, symbols, count, selectors, tables, codes);
}

/** The block's symbols in their groups' codes. Its own function: see crcUpdateRange. */
function writeSymbols(w: BitWriter, symbols: Uint16Array, count: number, selectors: Uint8Array, tables: Uint8Array[], codes: Int32Array[]): void {
  for (let g = 0; g < selectors.length; g++) {
    const t = selectors[g]!;
    w.codes(symbols, g * GROUP_SIZE, Math.min(count, (g + 1) * GROUP_SIZE), tables[t]!, codes[t]!);
  }
}

/** More tables pay off only when there are enough symbols to describe them (libbz2's thresholds). */
function tableCount(symbols: number): number {
  if (symbols < 200) return 2;
  if (symbols < 600) return 3;
  if (symbols < 1200) return 4;
  if (symbols < 2400) return 5;
  return 6;
}

const REFINE_PASSES = 4;
/** Code length standing for "this table does not cover the symbol" in the initial split. */
const UNCOVERED_BITS = 15;

/**
 * Several Huffman tables, each fitted to the groups of 50 symbols that pick
 * it: start from tables that each cover one slice of the alphabet, then
 * alternately assign every group to its cheapest table and refit the tables.
 */
function chooseTables(symbols: Uint16Array, freq: Int32Array): { tables: Uint8Array[]; selectors: Uint8Array } {
  const alphaSize = freq.length;
  const groups = tableCount(symbols.length);
  const selectorCount = Math.ceil(symbols.length / GROUP_SIZE);
  let tables: Uint8Array[] = [];
  let remaining = symbols.length;
  let lo = 0;
  for (let t = groups; t > 0; t--) {
    const target = remaining / t;
    let hi = lo - 1;
    let taken = 0;
    while (taken < target && hi < alphaSize - 1) taken += freq[++hi]!;
    if (hi > lo && t !== groups && t !== 1 && (groups - t) % 2 === 1) taken -= freq[hi--]!;
    const lengths = new Uint8Array(alphaSize).fill(UNCOVERED_BITS);
    for (let s = lo; s <= hi; s++) lengths[s] = 0;
    tables.push(lengths);
    lo = hi + 1;
    remaining -= taken;
  }
  const selectors = new Uint8Array(selectorCount);
  const tableFreq = new Int32Array(groups * alphaSize);
  for (let pass = 0; pass < REFINE_PASSES; pass++) {
    tableFreq.fill(0);
    assignGroups(symbols, tables, selectors, tableFreq);
    tables = tables.map((_, t) => codeLengths(tableFreq.subarray(t * alphaSize, (t + 1) * alphaSize)));
  }
  return { tables, selectors };
}

/**
 * Picks the cheapest table for every group of symbols (the first of equals)
 * and counts each group's symbols into its table's frequencies
 * (`tableFreq`: one run of alphabet-size counts per table). A symbol's code
 * lengths in all tables are packed two to a word, so a group's cost in six
 * tables is three sums, not six (libbz2 does the same): a length is at most
 * 17 bits and a group 50 symbols, so a sum never reaches bit 16.
 */
function assignGroups(symbols: Uint16Array, tables: readonly Uint8Array[], selectors: Uint8Array, tableFreq: Int32Array): void {
  const alphaSize = tables[0]!.length;
  const groups = tables.length;
  const lanes = new Int32Array(3 * alphaSize);
  for (let t = 0; t < groups; t++) {
    const lengths = tables[t]!;
    const shift = (t & 1) * 16;
    const lane = t >>> 1;
    for (let s = 0; s < alphaSize; s++) lanes[3 * s + lane]! |= lengths[s]! << shift;
  }
  const costs = new Int32Array(6);
  for (let g = 0; g < selectors.length; g++) {
    const start = g * GROUP_SIZE;
    const end = Math.min(symbols.length, start + GROUP_SIZE);
    let c01 = 0;
    let c23 = 0;
    let c45 = 0;
    for (let i = start; i < end; i++) {
      const at = 3 * symbols[i]!;
      c01 += lanes[at]!;
      c23 += lanes[at + 1]!;
      c45 += lanes[at + 2]!;
    }
    costs[0] = c01 & 0xffff;
    costs[1] = c01 >>> 16;
    costs[2] = c23 & 0xffff;
    costs[3] = c23 >>> 16;
    costs[4] = c45 & 0xffff;
    costs[5] = c45 >>> 16;
    let best = 0;
    for (let t = 1; t < groups; t++) if (costs[t]! < costs[best]!) best = t;
    selectors[g] = best;
    const base = best * alphaSize;
    for (let i = start; i < end; i++) tableFreq[base + symbols[i]!]!++;
  }
}

function blockLimitBytes(level: number): number {
  if (!Number.isInteger(level) || level < 1 || level > MAX_BZIP2_LEVEL) throw new RangeError(`bzip2 level ${level}`);
  return level * 100_000 - BLOCK_MARGIN_BYTES;
}

/**
 * Length of the run of equal bytes at `i`, at most LONGEST_RLE1_RUN; four
 * bytes per step where aligned (`words` views the same memory, starting
 * `misalign` bytes before `data`): a diff stream is mostly long runs of
 * zeros, and byte by byte this was a tenth of encoding it.
 */
function runLength(data: Uint8Array, words: Uint32Array, misalign: number, i: number): number {
  const b = data[i]!;
  const end = Math.min(data.length, i + LONGEST_RLE1_RUN);
  let j = i + 1;
  for (; j < end && ((j + misalign) & 3) !== 0; j++) if (data[j] !== b) return j - i;
  // The same byte in all four lanes, whatever the byte order.
  const pattern = Math.imul(b, 0x01010101) >>> 0;
  while (j + 4 <= end && words[(j + misalign) >>> 2] === pattern) j += 4;
  while (j < end && data[j] === b) j++;
  return j - i;
}

/** The input after the first stage (the run-length code), cut into blocks. */
export interface FirstStage {
  /** Every block's bytes, back to back: block b is bytes[ends[b - 1] ?? 0, ends[b]). */
  bytes: Uint8Array;
  ends: Int32Array;
  /** The CRC of the input range each block came from. */
  crcs: Uint32Array;
}

/**
 * The first stage over all of `data`, in one thread: cheap next to the later
 * stages, and what a block holds depends on where the previous one ended (a
 * block is cut before the run that would overflow it). Its output is all
 * the blocks need: they can then be encoded in any order, by any thread.
 */
export function firstStage(data: Uint8Array, level: number): FirstStage {
  const limit = blockLimitBytes(level);
  let out = new Uint8Array(Math.min(limit, data.length + (data.length >>> 2) + RLE1_THRESHOLD));
  let length = 0;
  const ends: number[] = [];
  const crcs: number[] = [];
  let blockStart = 0;
  let blockOut = 0;
  const n = data.length;
  const misalign = data.byteOffset & 3;
  const words = new Uint32Array(data.buffer, data.byteOffset - misalign, (misalign + n) >>> 2);
  for (let i = 0; i < n; ) {
    const b = data[i]!;
    const run = runLength(data, words, misalign, i);
    if (length - blockOut + RLE1_THRESHOLD + 1 > limit) {
      ends.push(length);
      crcs.push(crcOfRange(data, blockStart, i));
      blockStart = i;
      blockOut = length;
    }
    if (length + RLE1_THRESHOLD + 1 > out.length) {
      const grown = new Uint8Array(Math.min(2 * out.length, length + limit + (n - i) + ((n - i) >>> 2)));
      grown.set(out.subarray(0, length));
      out = grown;
    }
    if (run < RLE1_THRESHOLD) {
      for (let k = 0; k < run; k++) out[length++] = b;
    } else {
      out[length] = b;
      out[length + 1] = b;
      out[length + 2] = b;
      out[length + 3] = b;
      out[length + 4] = run - RLE1_THRESHOLD;
      length += RLE1_THRESHOLD + 1;
    }
    i += run;
  }
  if (n > 0) {
    ends.push(length);
    crcs.push(crcOfRange(data, blockStart, n));
  }
  return { bytes: out.subarray(0, length), ends: Int32Array.from(ends), crcs: Uint32Array.from(crcs) };
}

/** One block of the stream, without the stream's header and trailer. */
export interface EncodedBlock extends BitStream {
  crc: number;
}

/** Encodes block `index` of the first stage's output. */
export function encodeBlock(stage: FirstStage, index: number): EncodedBlock {
  const block = stage.bytes.subarray(stage.ends[index - 1] ?? 0, stage.ends[index]);
  const crc = stage.crcs[index]!;
  const w = new BitWriter();
  writeBlock(w, block, crc);
  return { ...w.stream(), crc };
}

/** The stream around its blocks, given in order: header, blocks and the trailer with the CRC of all block CRCs. */
export function joinBlocks(level: number, blocks: readonly EncodedBlock[]): Uint8Array {
  blockLimitBytes(level);
  const w = new BitWriter();
  for (const c of `BZh${level}`) w.bits(8, c.charCodeAt(0));
  let combined = 0;
  for (const block of blocks) {
    w.append(block);
    combined = combineCrc(combined, block.crc);
  }
  w.bits(24, END_MAGIC_HI);
  w.bits(24, END_MAGIC_LO);
  w.u32(combined);
  return w.finish();
}

/**
 * Compresses `data` into one bzip2 stream that libbz2 and `bzip2 -d` read.
 * `level` 1…9 is the block size in units of 100 000 bytes: a smaller block
 * sorts faster and decodes faster (the inverse transform's table stays in the
 * CPU cache) at some loss of compression.
 */
export function bzip2(data: Uint8Array, level = MAX_BZIP2_LEVEL): Uint8Array {
  const stage = firstStage(data, level);
  const blocks: EncodedBlock[] = [];
  for (let b = 0; b < stage.ends.length; b++) blocks.push(encodeBlock(stage, b));
  return joinBlocks(level, blocks);
}
