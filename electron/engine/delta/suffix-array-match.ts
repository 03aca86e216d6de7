import { MATCH_PROBE_LIMIT_BYTES, type Matcher, type MatchResult } from './match';
import { sortSuffixesInParts, type ParallelSortOptions, type SuffixArrayPart } from './parallel-suffix-sort';

/**
 * The `suffix-array` matcher (issue 3): the old image's suffixes sorted by
 * SA-IS, and a binary search over them for the suffix sharing the longest
 * prefix with the new image at a position — the longest match there is,
 * capped at MATCH_PROBE_LIMIT_BYTES. Costs 4 bytes per old byte and a suffix
 * sort, which is most of a diff's time in JavaScript.
 */

/**
 * For every two-byte prefix, the range of suffix-array rows that start with
 * it, so each search starts inside that range: the first dozen steps of a
 * plain binary search, each a cache miss somewhere in the old image, are
 * skipped.
 */
export interface PrefixIndex {
  /** First row per prefix, −1 when no suffix starts with it. */
  first: Int32Array;
  last: Int32Array;
}

/**
 * Built from counts alone (a sequential pass over the old image, no look-up
 * per suffix-array row): rows are sorted, so the rows of two-byte prefix k
 * follow all rows of smaller prefixes, and the one one-byte suffix, which
 * sorts before every longer suffix starting with a byte not below its own.
 */
export function buildPrefixIndex(old: Uint8Array): PrefixIndex {
  const first = new Int32Array(65536).fill(-1);
  const last = new Int32Array(65536).fill(-1);
  const n = old.length;
  if (n < 2) return { first, last };
  const counts = new Int32Array(65536);
  for (let i = 0; i + 1 < n; i++) counts[(old[i]! << 8) | old[i + 1]!]!++;
  const lastByte = old[n - 1]!;
  let row = 0;
  for (let key = 0; key < 65536; key++) {
    if (key === lastByte << 8) row++;
    const c = counts[key]!;
    if (c > 0) {
      first[key] = row;
      last[key] = row + c - 1;
      row += c;
    }
  }
  return { first, last };
}

function commonLength(old: Uint8Array, oldPos: number, next: Uint8Array, newPos: number, from: number, limit: number): number {
  let k = from;
  while (k < limit && old[oldPos + k] === next[newPos + k]) k++;
  return k;
}

/**
 * Finds the old position whose suffix shares the longest prefix with
 * `next[newPos…]` (capped at MATCH_PROBE_LIMIT_BYTES). Keeps the common-prefix
 * length of both search bounds so each probe skips what they already share.
 */
export function longestSuffixMatch(sa: Int32Array, old: Uint8Array, index: PrefixIndex, next: Uint8Array, newPos: number, out: MatchResult): void {
  const n = sa.length;
  out.pos = 0;
  out.len = 0;
  const remaining = Math.min(next.length - newPos, MATCH_PROBE_LIMIT_BYTES);
  if (n === 0 || remaining <= 0) return;
  let lo = 0;
  let hi = n - 1;
  if (remaining >= 2) {
    const key = (next[newPos]! << 8) | next[newPos + 1]!;
    if (index.first[key]! >= 0) {
      lo = index.first[key]!;
      hi = index.last[key]!;
    }
  }
  let loLen = commonLength(old, sa[lo]!, next, newPos, 0, Math.min(remaining, old.length - sa[lo]!));
  let hiLen = commonLength(old, sa[hi]!, next, newPos, 0, Math.min(remaining, old.length - sa[hi]!));
  while (hi - lo > 1 && loLen < remaining && hiLen < remaining) {
    const mid = (lo + hi) >>> 1;
    const p = sa[mid]!;
    const len = commonLength(old, p, next, newPos, Math.min(loLen, hiLen), Math.min(remaining, old.length - p));
    if (len === remaining) {
      out.pos = p;
      out.len = len;
      return;
    }
    // A suffix that ends inside the match sorts before the longer text.
    if (p + len === old.length || old[p + len]! < next[newPos + len]!) {
      lo = mid;
      loLen = len;
    } else {
      hi = mid;
      hiLen = len;
    }
  }
  if (loLen >= hiLen) {
    out.pos = sa[lo]!;
    out.len = loLen;
  } else {
    out.pos = sa[hi]!;
    out.len = hiLen;
  }
}

/** A suffix-array matcher with its sorted parts, which a second thread scanning another stretch of the new image reuses. */
export interface SuffixArrayMatcher extends Matcher {
  readonly parts: readonly SuffixArrayPart[];
}

/**
 * Large images are sorted in two overlapping parts at once
 * (parallel-suffix-sort.ts); a search then asks both arrays and keeps the
 * longer match, which is the longest match there is.
 */
export function createSuffixArrayMatcher(old: Uint8Array, options: ParallelSortOptions = {}): SuffixArrayMatcher {
  return suffixArrayMatcherOver(old, sortSuffixesInParts(old, MATCH_PROBE_LIMIT_BYTES, options));
}

/** The matcher over parts sorted before (here or in another thread). */
export function suffixArrayMatcherOver(old: Uint8Array, sorted: readonly SuffixArrayPart[]): SuffixArrayMatcher {
  const parts = sorted.map((part) => ({ ...part, index: buildPrefixIndex(part.text) }));
  if (parts.length === 1) {
    const { sa, index } = parts[0]!;
    return { name: 'suffix-array', parts: sorted, find: (next, newPos, out) => longestSuffixMatch(sa, old, index, next, newPos, out) };
  }
  const candidate: MatchResult = { pos: 0, len: 0 };
  return {
    name: 'suffix-array',
    parts: sorted,
    find: (next, newPos, out) => {
      out.pos = 0;
      out.len = 0;
      for (const part of parts) {
        longestSuffixMatch(part.sa, part.text, part.index, next, newPos, candidate);
        if (candidate.len > out.len) {
          out.pos = part.offset + candidate.pos;
          out.len = candidate.len;
        }
      }
    },
  };
}
