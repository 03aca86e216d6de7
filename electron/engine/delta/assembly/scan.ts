// The delta scan (docs/delta-format.md, "How a delta is made"): walks the new image and aligns it to the
// old one, bsdiff-style. An exact match of the matcher — the suffix arrays below, or the caller's search
// (the hash index of hash-match.ts) — is taken when it explains clearly more bytes than simply continuing
// the current alignment; around each taken match the alignment is extended forwards and backwards for as
// long as more than half of the bytes agree, so small edits (changed pointers, shifted offsets) land in
// the well-compressible diff stream instead of the extra stream.

import { allocate, geti, seti } from './memory';

@external('env', 'progress')
declare function progress(done: i32): void;
/** One control entry of the script, in order (the caller keeps them: their number has no useful bound). */
@external('env', 'entry')
declare function entry(add: i32, copy: i32, seek: i32): void;
/** The caller's search (indexExternal): the longest match's length at a new-image position; its old position from searchedPos. */
@external('env', 'search')
declare function externalSearch(newPos: i32): i32;
@external('env', 'searchedPos')
declare function externalSearchedPos(): i32;

/** Matches are measured up to this many bytes (match.ts MATCH_PROBE_LIMIT_BYTES): a longer one is as good as "long". */
const MATCH_PROBE_LIMIT_BYTES: i32 = 4096;
/** How many more bytes a new match must explain than the current alignment before the scan switches to it (bsdiff's choice). */
const SWITCH_MARGIN_BYTES: i32 = 8;
const PROGRESS_STEP_BYTES: i32 = 1 << 20;
/** An alignment that goes on matching this long is taken without a search. */
const ALIGNED_ENOUGH_BYTES: i32 = 32;
/**
 * The search is skipped while the current alignment agrees on all but SKIP_MAX_MISMATCHES of the next
 * SKIP_WINDOW_BYTES bytes. Rebuilt native code differs from its old version every dozen bytes or so
 * (changed addresses and offsets), so the current alignment rarely matches 32 bytes in a row there and a
 * search ran at nearly every byte — most of the scan's time — though a match elsewhere almost never beats
 * an alignment this good by the switch margin. Where it does (a moved block longer than the window), a
 * search a few bytes later, once the window has left the well-aligned bytes, finds it and the backward
 * extension takes back the bytes skipped. On the corpus: 5–8× fewer searches, patches within ±0.4 %.
 */
const SKIP_WINDOW_BYTES: i32 = 32;
const SKIP_MAX_MISMATCHES: i32 = 12;
/**
 * Where the alignment is poor, a search runs only at every second position: a match found one byte late
 * is extended back over that byte by the backward extension, so patches stay the same size (on the corpus
 * 0.3–0.4 % smaller for esbuild and rollup, equal for libcrypto) for half the searches. Every third
 * position is too sparse: with only the 16 newest candidates per string, the hash index finds some long
 * matches in esbuild's repetitive code from a few positions only.
 */
const SEARCH_INTERVAL_BYTES: i32 = 2;
/** The diff stream's memory grows by at least this much at a time. */
const DIFF_GROWTH_BYTES: usize = 1 << 20;

@inline function byte(p: usize, i: i32): i32 {
  return <i32>load<u8>(p + <usize>i);
}

/**
 * First and last suffix-array row per two-byte prefix (-1 where none), so a search starts inside that
 * range. From counts alone, with no look-up per row: rows are sorted, so the rows of prefix k follow
 * those of smaller prefixes and the one one-byte suffix, which sorts before longer ones of its byte.
 */
function buildPrefixIndex(old: usize, n: i32, first: usize, last: usize): void {
  memory.fill(first, 0xff, 65536 << 2);
  // `last` holds the counts first, then the last rows.
  memory.fill(last, n < 2 ? 0xff : 0, 65536 << 2);
  if (n < 2) return;
  for (let i = 0; i + 1 < n; i++) {
    const key = (byte(old, i) << 8) | byte(old, i + 1);
    seti(last, key, geti(last, key) + 1);
  }
  const lastByte = byte(old, n - 1);
  let row = 0;
  for (let key = 0; key < 65536; key++) {
    if (key == lastByte << 8) row++;
    const c = geti(last, key);
    if (c > 0) {
      seti(first, key, row);
      seti(last, key, row + c - 1);
      row += c;
    } else {
      seti(last, key, -1);
    }
  }
}

/**
 * Length of the common prefix of old[oldPos..] and next[newPos..], from `from` up to `limit`. Byte by
 * byte: most comparisons of the search end within a byte or two, where reading eight bytes at a time
 * measured slower (rollup's scan 0.15 → 0.17 s), and the long ones stop at the probe limit.
 */
@inline function commonLength(old: usize, oldPos: i32, next: usize, newPos: i32, from: i32, limit: i32): i32 {
  let k = from;
  while (k < limit && load<u8>(old + <usize>(oldPos + k)) == load<u8>(next + <usize>(newPos + k))) k++;
  return k;
}

let matchPos: i32 = 0;
let matchLen: i32 = 0;

/** The old position whose suffix shares the longest prefix with next[newPos..] (capped), into matchPos/matchLen. */
function longestMatch(sa: usize, old: usize, oldSize: i32, first: usize, last: usize, next: usize, newSize: i32, newPos: i32): void {
  matchPos = 0;
  matchLen = 0;
  const remaining = min(newSize - newPos, MATCH_PROBE_LIMIT_BYTES);
  if (oldSize == 0 || remaining <= 0) return;
  let lo = 0;
  let hi = oldSize - 1;
  if (remaining >= 2) {
    const key = (byte(next, newPos) << 8) | byte(next, newPos + 1);
    if (geti(first, key) >= 0) {
      lo = geti(first, key);
      hi = geti(last, key);
    }
  }
  let loPos = geti(sa, lo);
  let hiPos = geti(sa, hi);
  let loLen = commonLength(old, loPos, next, newPos, 0, min(remaining, oldSize - loPos));
  let hiLen = commonLength(old, hiPos, next, newPos, 0, min(remaining, oldSize - hiPos));
  while (hi - lo > 1 && loLen < remaining && hiLen < remaining) {
    const mid = (lo + hi) >>> 1;
    const p = geti(sa, mid);
    const len = commonLength(old, p, next, newPos, min(loLen, hiLen), min(remaining, oldSize - p));
    if (len == remaining) {
      matchPos = p;
      matchLen = len;
      return;
    }
    // A suffix that ends inside the match sorts before the longer text.
    if (p + len == oldSize || byte(old, p + len) < byte(next, newPos + len)) {
      lo = mid;
      loPos = p;
      loLen = len;
    } else {
      hi = mid;
      hiPos = p;
      hiLen = len;
    }
  }
  if (loLen >= hiLen) {
    matchPos = loPos;
    matchLen = loLen;
  } else {
    matchPos = hiPos;
    matchLen = hiLen;
  }
}

let diffLength: i32 = 0;
let extraLength: i32 = 0;
let entries: i32 = 0;

/** Makes the memory reach `end`; false when it cannot grow. */
function reach(end: usize): bool {
  const have = (<usize>memory.size()) << 16;
  if (end <= have) return true;
  const pages = <i32>((max(end - have, DIFF_GROWTH_BYTES) + 0xffff) >> 16);
  return memory.grow(pages) >= 0;
}

@inline function mismatch(old: usize, oldSize: i32, next: usize, newSize: i32, at: i32, offset: i32): i32 {
  if (at >= newSize) return 1;
  const o = at + offset;
  return o < 0 || o >= oldSize || byte(old, o) != byte(next, at) ? 1 : 0;
}

// The old image's suffixes, sorted in one part or two (see indexParts), each part with its prefix index.
let oldText: usize = 0;
/** Searches go to the caller (indexExternal) instead of the suffix arrays. */
let external: bool = false;
let oldTextSize: i32 = 0;
let sa1: usize = 0;
let size1: i32 = 0;
let first1: usize = 0;
let last1: usize = 0;
let sa2: usize = 0;
let offset2: i32 = 0;
let size2: i32 = 0;
let first2: usize = 0;
let last2: usize = 0;

/**
 * The suffix arrays the searches use: sa1 of old[0, size1) and sa2 of old[offset2, offset2 + size2)
 * (size2 0: one part). Two parts that overlap by at least MATCH_PROBE_LIMIT_BYTES find matches as long as
 * one array of the whole image would: a match of up to the limit that starts in the first part below
 * offset2 lies wholly inside it. False when the memory cannot hold the prefix indexes.
 */
export function indexParts(text: usize, textSize: i32, sortedFirst: usize, firstSize: i32, sortedSecond: usize, secondOffset: i32, secondSize: i32): bool {
  first1 = allocate(65536 << 2);
  last1 = allocate(65536 << 2);
  // A second part's index only when there is a second part: 512 KiB the diff of a small image can spare.
  first2 = secondSize > 0 ? allocate(65536 << 2) : 0;
  last2 = secondSize > 0 ? allocate(65536 << 2) : 0;
  if (first1 == 0 || last1 == 0 || (secondSize > 0 && (first2 == 0 || last2 == 0))) return false;
  oldText = text;
  oldTextSize = textSize;
  external = false;
  sa1 = sortedFirst;
  size1 = firstSize;
  sa2 = sortedSecond;
  offset2 = secondOffset;
  size2 = secondSize;
  buildPrefixIndex(text, size1, first1, last1);
  if (size2 > 0) buildPrefixIndex(text + <usize>offset2, size2, first2, last2);
  return true;
}

/** The old image for a scan whose searches the caller answers (`search`, `searchedPos`). */
export function indexExternal(text: usize, textSize: i32): void {
  oldText = text;
  oldTextSize = textSize;
  external = true;
}

/** The longest match at next[newPos..] into matchPos/matchLen, by the suffix arrays or the caller. */
function search(next: usize, newSize: i32, newPos: i32): void {
  if (external) {
    matchLen = externalSearch(newPos);
    matchPos = externalSearchedPos();
  } else {
    longestMatchInParts(next, newSize, newPos);
  }
}

/** The longest match over both parts into matchPos/matchLen; on equal lengths the first part's. */
function longestMatchInParts(next: usize, newSize: i32, newPos: i32): void {
  longestMatch(sa1, oldText, size1, first1, last1, next, newSize, newPos);
  if (size2 == 0 || matchLen == min(newSize - newPos, MATCH_PROBE_LIMIT_BYTES)) return;
  const pos = matchPos;
  const len = matchLen;
  longestMatch(sa2, oldText + <usize>offset2, size2, first2, last2, next, newSize, newPos);
  if (matchLen > len) {
    matchPos += offset2;
  } else {
    matchPos = pos;
    matchLen = len;
  }
}

/**
 * Scans next[0, newSize) against the old image of indexParts or indexExternal. Control entries go to the caller (`entry`),
 * diff bytes to `diff`, which must be the top of everything allocated: the memory grows as they are
 * written. The extra bytes are not copied: each entry's `copy` bytes follow its `add` bytes in the new
 * image, where the caller takes them. Memory for the worst case, the whole new image twice over, would be
 * memory the codec holds for nothing: ovmf-code's diff stream is a few kB, its extra stream 1.5 MB. Returns
 * the number of entries, -1 when the memory cannot grow; the stream lengths come from the functions below.
 */
export function scan(next: usize, newSize: i32, diff: usize): i32 {
  const old = oldText;
  const oldSize = oldTextSize;
  diffLength = 0;
  extraLength = 0;
  entries = 0;

  let scan = 0;
  let len = 0;
  let pos = 0;
  let lastScan = 0;
  let lastPos = 0;
  let lastOffset = 0;
  let nextProgress = PROGRESS_STEP_BYTES;
  let windowOffset = 0;
  let windowStart = -1;
  let windowMismatches = 0;

  while (scan < newSize) {
    let alignedScore = 0;
    let scored = (scan += len);
    for (; scan < newSize; scan++) {
      const aligned = scan + lastOffset;
      let k = 0;
      if (aligned >= 0 && aligned < oldSize) {
        const limit = min(MATCH_PROBE_LIMIT_BYTES, min(oldSize - aligned, newSize - scan));
        k = commonLength(old, aligned, next, scan, 0, limit);
      }
      if (k >= ALIGNED_ENOUGH_BYTES) {
        matchPos = aligned;
        matchLen = k;
      } else {
        if (windowStart < 0 || windowOffset != lastOffset || scan - windowStart > SKIP_WINDOW_BYTES) {
          windowOffset = lastOffset;
          windowMismatches = 0;
          for (let i = 0; i < SKIP_WINDOW_BYTES; i++) windowMismatches += mismatch(old, oldSize, next, newSize, scan + i, lastOffset);
        } else {
          for (let i = windowStart; i < scan; i++) {
            windowMismatches += mismatch(old, oldSize, next, newSize, i + SKIP_WINDOW_BYTES, lastOffset) - mismatch(old, oldSize, next, newSize, i, lastOffset);
          }
        }
        windowStart = scan;
        if (windowMismatches <= SKIP_MAX_MISMATCHES || scan % SEARCH_INTERVAL_BYTES != 0) {
          matchPos = aligned;
          matchLen = k;
        } else {
          search(next, newSize, scan);
        }
      }
      len = matchLen;
      pos = matchPos;
      for (; scored < scan + len; scored++) {
        const o = scored + lastOffset;
        if (o >= 0 && o < oldSize && byte(old, o) == byte(next, scored)) alignedScore++;
      }
      if ((len == alignedScore && len != 0) || len > alignedScore + SWITCH_MARGIN_BYTES) break;
      const o = scan + lastOffset;
      if (o >= 0 && o < oldSize && byte(old, o) == byte(next, scan)) alignedScore--;
    }
    if (scan >= nextProgress) {
      progress(scan);
      nextProgress = scan + PROGRESS_STEP_BYTES;
    }
    if (len == alignedScore && scan < newSize) continue;

    // Extend the previous match forwards while more than half the bytes agree.
    let forward = 0;
    for (let i = 0, agree = 0, best = 0; lastScan + i < scan && lastPos + i < oldSize; ) {
      if (byte(old, lastPos + i) == byte(next, lastScan + i)) agree++;
      i++;
      if (agree * 2 - i > best * 2 - forward) {
        best = agree;
        forward = i;
      }
    }
    // Extend the new match backwards the same way.
    let backward = 0;
    if (scan < newSize) {
      for (let i = 1, agree = 0, best = 0; scan >= lastScan + i && pos >= i; i++) {
        if (byte(old, pos - i) == byte(next, scan - i)) agree++;
        if (agree * 2 - i > best * 2 - backward) {
          best = agree;
          backward = i;
        }
      }
    }
    // Where both extensions claim the same bytes, split at the point that keeps the most agreeing bytes.
    if (lastScan + forward > scan - backward) {
      const overlap = lastScan + forward - (scan - backward);
      let score = 0;
      let bestScore = 0;
      let split = 0;
      for (let i = 0; i < overlap; i++) {
        if (byte(next, lastScan + forward - overlap + i) == byte(old, lastPos + forward - overlap + i)) score++;
        if (byte(next, scan - backward + i) == byte(old, pos - backward + i)) score--;
        if (score > bestScore) {
          bestScore = score;
          split = i + 1;
        }
      }
      forward += split - overlap;
      backward -= split;
    }

    if (!reach(diff + <usize>(diffLength + forward))) return -1;
    for (let i = 0; i < forward; i++) {
      store<u8>(diff + <usize>(diffLength + i), <u8>(byte(next, lastScan + i) - byte(old, lastPos + i)));
    }
    diffLength += forward;
    const copy = scan - backward - (lastScan + forward);
    extraLength += copy;
    entry(forward, copy, pos - backward - (lastPos + forward));
    entries++;

    lastScan = scan - backward;
    lastPos = pos - backward;
    lastOffset = pos - scan;
  }
  return entries;
}

/** One search (for tests and callers outside the scan): the match length; its position from foundPos(). */
export function findLongestMatch(next: usize, newSize: i32, newPos: i32): i32 {
  longestMatchInParts(next, newSize, newPos);
  return matchLen;
}

export function foundPos(): i32 {
  return matchPos;
}

export function scannedDiffLength(): i32 {
  return diffLength;
}

export function scannedExtraLength(): i32 {
  return extraLength;
}
