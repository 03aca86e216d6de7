import { MATCH_PROBE_LIMIT_BYTES, type Matcher, type MatchResult } from './match';

/**
 * The `hash` matcher: longest-match search of a position of the new image in
 * the old image through a hash index of the old image's 8-byte strings (as
 * zstd's long mode does) instead of a full suffix array: built in one
 * sequential pass, where a suffix sort costs several passes of random reads,
 * each a cache miss, and dominates a diff in JavaScript (3–4.5 s for 10 MB).
 * Not exhaustive (16 candidates, 8-byte minimum), but on the corpus the
 * patches come out within 0.5 % of the suffix array's
 * (docs/delta-benchmark.md).
 */

/** Shortest match the index can find; the scan takes a match only when it explains 8 bytes more than the current alignment anyway. */
export const HASH_MATCH_MIN_BYTES = 8;
/** Candidates tried per search, most recent (nearest the end of the old image) first. */
const MAX_CANDIDATES = 16;
/** log2 of the filter bits per bucket (8: the filter is a quarter of the head table). */
const FILTER_LOG2 = 3;
/**
 * Only every INDEX_STRIDE-th old position is indexed; a search probes the
 * new image at its position and the INDEX_STRIDE − 1 following ones and
 * steps each candidate back to its start. Building the index is a cache miss
 * or two per indexed position (its bucket and filter bit, somewhere in
 * megabytes of tables) and was the largest part of a diff; with a stride of 2
 * it halves, and so does the chain table, while a search costs one more
 * probe (searches are few since the scan skips them where the alignment
 * holds). Matches are still found from their first byte.
 */
export const INDEX_STRIDE = 2;

export interface HashIndex {
  /** Newest old position per hash bucket, −1 when none. */
  head: Int32Array;
  /** Per indexed position i (at i / INDEX_STRIDE): the previous indexed position with the same hash, −1 at the end of a chain (unset at positions never indexed, which no chain reaches). */
  prev: Int32Array;
  /**
   * Bit filter of the hashes present, 2^FILTER_LOG2 bits per
   * bucket: a quarter of the size of `head`, mostly in the cache, so a search
   * for a string the old image lacks (most searches, next to changed bytes)
   * usually costs no cache miss.
   */
  used: Int32Array;
  shift: number;
  filterShift: number;
}

function hashAt(bytes: Uint8Array, i: number): number {
  const lo = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
  const hi = bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24);
  return mix(lo, hi);
}

/** 32-bit hash of the 8 bytes; buckets take its top bits. */
function mix(lo: number, hi: number): number {
  return (Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi ^ (lo >>> 15), 0x85ebca77)) >>> 0;
}

/** Chains of old positions by the hash of the 8 bytes starting there, built in one pass. */
export function buildHashIndex(old: Uint8Array): HashIndex {
  const n = old.length;
  const bits = Math.min(22, Math.max(12, Math.floor(Math.log2(n + 1)) - 2));
  const shift = 32 - bits;
  const head = new Int32Array(1 << bits).fill(-1);
  const prev = new Int32Array(Math.ceil(Math.max(0, n - HASH_MATCH_MIN_BYTES + 1) / INDEX_STRIDE));
  const filterShift = shift - FILTER_LOG2;
  const used = new Int32Array(Math.max(1, (1 << (bits + FILTER_LOG2)) >>> 5));
  if (n < HASH_MATCH_MIN_BYTES) return { head, prev, used, shift, filterShift };
  // The two 4-byte words of the string at i, rolled forward one byte per position (one read each).
  let lo = 0;
  let hi = old[0]! | (old[1]! << 8) | (old[2]! << 16) | (old[3]! << 24);
  let run = 0;
  for (let i = 0; i + HASH_MATCH_MIN_BYTES <= n; i++) {
    const end = i + HASH_MATCH_MIN_BYTES - 1;
    const b = old[end]!;
    lo = (lo >>> 8) | (hi << 24);
    hi = (hi >>> 8) | (b << 24);
    if (i === 0) {
      lo = old[0]! | (old[1]! << 8) | (old[2]! << 16) | (old[3]! << 24);
      hi = old[4]! | (old[5]! << 8) | (old[6]! << 16) | (old[7]! << 24);
    }
    // Equal bytes in a row ending at the string's last byte. Inside a run of one byte value only its
    // first indexed position is: it matches as far as any other, and chains stay short on padding.
    run = end > 0 && b === old[end - 1] ? run + 1 : 1;
    if (i % INDEX_STRIDE !== 0 || run >= HASH_MATCH_MIN_BYTES + INDEX_STRIDE) continue;
    const full = mix(lo, hi);
    const h = full >>> shift;
    prev[i / INDEX_STRIDE] = head[h]!;
    head[h] = i;
    const f = full >>> filterShift;
    used[f >>> 5]! |= 1 << (f & 31);
  }
  return { head, prev, used, shift, filterShift };
}

/**
 * The longest match of `next[newPos…]` (capped at MATCH_PROBE_LIMIT_BYTES)
 * among the first MAX_CANDIDATES indexed old positions with the same hash as
 * the new image at newPos + d, for each d < INDEX_STRIDE, each stepped back by
 * d; a candidate that cannot beat the best so far is rejected on one byte.
 */
export function longestHashMatch(index: HashIndex, old: Uint8Array, next: Uint8Array, newPos: number, out: MatchResult): void {
  out.pos = 0;
  out.len = 0;
  const remaining = Math.min(next.length - newPos, MATCH_PROBE_LIMIT_BYTES);
  if (old.length < HASH_MATCH_MIN_BYTES) return;
  let best = 0;
  let bestPos = 0;
  for (let d = 0; d < INDEX_STRIDE && remaining >= HASH_MATCH_MIN_BYTES + d; d++) {
    const full = hashAt(next, newPos + d);
    const f = full >>> index.filterShift;
    if ((index.used[f >>> 5]! & (1 << (f & 31))) === 0) continue;
    let cand = index.head[full >>> index.shift]!;
    for (let tries = 0; cand >= 0 && tries < MAX_CANDIDATES; tries++) {
      const start = cand - d;
      const limit = Math.min(remaining, old.length - start);
      if (start >= 0 && limit > best && old[start + best] === next[newPos + best]) {
        let k = 0;
        while (k < limit && old[start + k] === next[newPos + k]) k++;
        if (k > best) {
          best = k;
          bestPos = start;
          if (k === remaining) break;
        }
      }
      cand = index.prev[cand / INDEX_STRIDE]!;
    }
    if (best === remaining) break;
  }
  out.pos = bestPos;
  out.len = best;
}

export function createHashMatcher(old: Uint8Array): Matcher {
  const index = buildHashIndex(old);
  return {
    name: 'hash',
    find: (next, newPos, out) => longestHashMatch(index, old, next, newPos, out),
  };
}
