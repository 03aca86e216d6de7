// Suffix sorting by induced sorting (SA-IS, Nong, Zhang & Chan 2009), compiled to WebAssembly
// (AssemblyScript). The caller allocates the suffix array and the text with `allocate`, then calls
// `sort`, which takes its scratch memory above them and gives it back when it returns.
//
// Memory: besides the 4n-byte suffix array and the n-byte text, one bit per position of type flags
// and, at the top level, three 256-entry bucket tables. A recursion's reduced text and suffix array
// live inside the caller's suffix array, and so do its scratch flags and two bucket tables whenever
// they fit in the part in between or in what an outer level left of its own (on binaries they do):
// 5.1n bytes in all, where a plain SA-IS holds 8–9n at its peak.

import { allocate, at, geti, restoreTop, savedTop, seti } from './memory';

const EMPTY: i32 = -1;
const L_TYPE: u32 = 0;
const S_TYPE: u32 = 1;
/** Rows per call of an induce pass, so that no single call runs for long in a slow tier of the engine. */
const ROWS_PER_CALL: i32 = 1 << 16;

@inline function typeOf(types: usize, i: i32): u32 {
  return (load<u32>(types + ((<usize>(i >>> 5)) << 2)) >>> (<u32>i & 31)) & 1;
}
@inline function isLms(types: usize, i: i32): bool {
  return i > 0 && typeOf(types, i) == S_TYPE && typeOf(types, i - 1) == L_TYPE;
}
@inline function typeBytes(n: i32): usize {
  return (<usize>((n + 31) >>> 5)) << 2;
}

/** One bit per position: set for S-type (smaller than the suffix after it), clear for L-type. */
function classify<T>(s: usize, types: usize, n: i32): void {
  memory.fill(types, 0, typeBytes(n));
  let next: u32 = L_TYPE;
  for (let i = n - 2; i >= 0; i--) {
    const a = at<T>(s, i);
    const b = at<T>(s, i + 1);
    const t: u32 = a < b || (a == b && next == S_TYPE) ? S_TYPE : L_TYPE;
    if (t == S_TYPE) {
      const w = types + ((<usize>(i >>> 5)) << 2);
      store<u32>(w, load<u32>(w) | (1 << (<u32>i & 31)));
    }
    next = t;
  }
}

/** Bucket ends (exclusive) per character, and with sStart the first S-type row of each bucket. */
function countBuckets<T>(s: usize, types: usize, n: i32, ends: usize, sStart: usize, alphabet: i32): void {
  memory.fill(ends, 0, (<usize>alphabet) << 2);
  if (sStart != 0) memory.fill(sStart, 0, (<usize>alphabet) << 2);
  for (let i = 0; i < n; i++) {
    const c = at<T>(s, i);
    seti(ends, c, geti(ends, c) + 1);
    if (sStart != 0 && typeOf(types, i) == L_TYPE) seti(sStart, c, geti(sStart, c) + 1);
  }
  let sum = 0;
  for (let c = 0; c < alphabet; c++) {
    const k = geti(ends, c);
    if (sStart != 0) seti(sStart, c, sum + geti(sStart, c));
    sum += k;
    seti(ends, c, sum);
  }
}

function bucketStarts(ends: usize, bounds: usize, alphabet: i32): void {
  seti(bounds, 0, 0);
  if (alphabet > 1) memory.copy(bounds + 4, ends, (<usize>(alphabet - 1)) << 2);
}

function bucketEnds(ends: usize, bounds: usize, alphabet: i32): void {
  memory.copy(bounds, ends, (<usize>alphabet) << 2);
}

function dropLmsAtBucketEnds<T>(s: usize, types: usize, sa: usize, n: i32, bounds: usize): void {
  for (let i = n - 1; i >= 1; i--) {
    if (isLms(types, i)) {
      const c = at<T>(s, i);
      const b = geti(bounds, c) - 1;
      seti(bounds, c, b);
      seti(sa, b, i);
    }
  }
}

function induceLRows<T>(s: usize, sa: usize, bounds: usize, from: i32, to: i32): void {
  for (let i = from; i < to; i++) {
    const j = geti(sa, i) - 1;
    if (j < 0) continue;
    const c = at<T>(s, j);
    if (c >= at<T>(s, j + 1)) {
      const b = geti(bounds, c);
      seti(bounds, c, b + 1);
      seti(sa, b, j);
    }
  }
}

// The S pass needs the type of each visited suffix k's predecessor j = k - 1. It follows from s[j] and
// s[k] and, when they are equal, from k's own type. At the top level k's row tells it (within a bucket the
// L-type rows come first, so row i holds an S-type suffix exactly when i >= sStart[c]), which saves a random
// read of the flags per row; a recursion reads the flags instead, to keep its tables inside the suffix array.
function induceSRowsByRow<T>(s: usize, sa: usize, sStart: usize, bounds: usize, markLms: bool, from: i32, to: i32): void {
  for (let i = to - 1; i >= from; i--) {
    const v = geti(sa, i);
    const k = v < 0 ? ~v : v;
    if (k == 0) continue;
    const j = k - 1;
    const c = at<T>(s, j);
    const next = at<T>(s, k);
    if (c < next || (c == next && i >= geti(sStart, next))) {
      const b = geti(bounds, c) - 1;
      seti(bounds, c, b);
      seti(sa, b, markLms && j > 0 && at<T>(s, j - 1) > c ? ~j : j);
    }
  }
}

function induceSRowsByFlag<T>(s: usize, types: usize, sa: usize, bounds: usize, markLms: bool, from: i32, to: i32): void {
  for (let i = to - 1; i >= from; i--) {
    const v = geti(sa, i);
    const k = v < 0 ? ~v : v;
    if (k == 0) continue;
    const j = k - 1;
    if (typeOf(types, j) == S_TYPE) {
      const c = at<T>(s, j);
      const b = geti(bounds, c) - 1;
      seti(bounds, c, b);
      seti(sa, b, markLms && j > 0 && at<T>(s, j - 1) > c ? ~j : j);
    }
  }
}

/** Induces L-type suffixes left to right, then S-type right to left; with markLms the LMS ones are stored complemented (~j). */
function induce<T>(s: usize, types: usize, sa: usize, n: i32, ends: usize, sStart: usize, bounds: usize, alphabet: i32, markLms: bool): void {
  bucketStarts(ends, bounds, alphabet);
  // The last suffix is L-type and follows the virtual sentinel, the smallest of all.
  const last = at<T>(s, n - 1);
  const b = geti(bounds, last);
  seti(bounds, last, b + 1);
  seti(sa, b, n - 1);
  for (let i = 0; i < n; i += ROWS_PER_CALL) induceLRows<T>(s, sa, bounds, i, min(n, i + ROWS_PER_CALL));
  bucketEnds(ends, bounds, alphabet);
  for (let i = n; i > 0; i -= ROWS_PER_CALL) {
    const from = max(0, i - ROWS_PER_CALL);
    if (sStart != 0) induceSRowsByRow<T>(s, sa, sStart, bounds, markLms, from, i);
    else induceSRowsByFlag<T>(s, types, sa, bounds, markLms, from, i);
  }
}

function lmsSubstringsEqual<T>(s: usize, types: usize, n: i32, p: i32, q: i32): bool {
  for (let d = 0; p + d < n && q + d < n; d++) {
    if (at<T>(s, p + d) != at<T>(s, q + d) || typeOf(types, p + d) != typeOf(types, q + d)) return false;
    if (d > 0) {
      const a = isLms(types, p + d);
      const b = isLms(types, q + d);
      if (a || b) return a && b;
    }
  }
  return false;
}

function gatherMarked(sa: usize, n: i32): i32 {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const p = geti(sa, i);
    if (p < 0) seti(sa, m++, ~p);
  }
  return m;
}

/** Names the sorted LMS substrings (equal ones alike) into sa[m + p/2]; returns the number of names. */
function nameLms<T>(s: usize, types: usize, sa: usize, n: i32, m: i32): i32 {
  let names = 0;
  let previous = -1;
  for (let i = 0; i < m; i++) {
    const p = geti(sa, i);
    if (previous < 0 || !lmsSubstringsEqual<T>(s, types, n, previous, p)) names++;
    previous = p;
    // LMS positions are at least two apart, so p >> 1 never collides.
    seti(sa, m + (p >> 1), names - 1);
  }
  return names;
}

function packNames(sa: usize, n: i32, m: i32): void {
  for (let i = n - 1, j = n - 1; i >= m; i--) {
    const v = geti(sa, i);
    if (v >= 0) seti(sa, j--, v);
  }
}

function fillEmpty(sa: usize, from: i32, to: i32): void {
  if (to > from) memory.fill(sa + ((<usize>from) << 2), 0xff, (<usize>(to - from)) << 2);
}

/**
 * Sorts the suffixes of s[0, n) over characters 0..alphabet-1 into sa. Scratch goes to [spare, spare +
 * spareBytes) when it fits there, otherwise above everything else. False when the memory cannot grow.
 */
function induceSort<T>(s: usize, sa: usize, n: i32, alphabet: i32, spare: usize, spareBytes: usize): bool {
  const saved = savedTop();
  const tableBytes = (<usize>alphabet) << 2;
  const topLevel = sizeof<T>() == 1;
  const need = typeBytes(n) + 8 + (topLevel ? 3 : 2) * tableBytes;
  const inSpare = need + 8 <= spareBytes;
  const base = inSpare ? (spare + 7) & ~(<usize>7) : allocate(need + 8);
  if (base == 0) return false;
  // What is left of the spare region after this level's scratch: a deeper level may use it.
  const leftover = inSpare ? spare + need + 8 : spare;
  const leftoverBytes = inSpare ? spareBytes - need - 8 : spareBytes;
  const types = base;
  const ends = (types + typeBytes(n) + 7) & ~(<usize>7);
  const bounds = ends + tableBytes;
  const sStart = topLevel ? bounds + tableBytes : 0;

  classify<T>(s, types, n);
  countBuckets<T>(s, types, n, ends, sStart, alphabet);

  // Stage 1: sort the LMS substrings by inducing from LMS positions dropped at bucket ends.
  fillEmpty(sa, 0, n);
  bucketEnds(ends, bounds, alphabet);
  dropLmsAtBucketEnds<T>(s, types, sa, n, bounds);
  induce<T>(s, types, sa, n, ends, sStart, bounds, alphabet, true);

  // Gather the sorted LMS positions at the front, then name equal substrings alike.
  const m = gatherMarked(sa, n);
  fillEmpty(sa, m, n);
  const names = nameLms<T>(s, types, sa, n, m);
  packNames(sa, n, m);

  // Stage 2: order of the LMS suffixes, by recursion when two substrings share a name. The recursion's
  // text is sa[n - m, n) and its suffix array sa[0, m); the rows in between are free for its scratch.
  const reduced = sa + ((<usize>(n - m)) << 2);
  if (names < m) {
    const free = sa + ((<usize>m) << 2);
    const freeBytes = (<usize>(n - 2 * m)) << 2;
    const roomier = freeBytes >= leftoverBytes;
    if (!induceSort<i32>(reduced, sa, m, names, roomier ? free : leftover, roomier ? freeBytes : leftoverBytes)) return false;
  } else {
    for (let i = 0; i < m; i++) seti(sa, geti(reduced, i), i);
  }
  for (let i = 1, j = 0; i < n; i++) if (isLms(types, i)) seti(reduced, j++, i);
  for (let i = 0; i < m; i++) seti(sa, i, geti(reduced, geti(sa, i)));

  // Stage 3: drop the sorted LMS suffixes at their bucket ends and induce the rest.
  fillEmpty(sa, m, n);
  bucketEnds(ends, bounds, alphabet);
  for (let i = m - 1; i >= 0; i--) {
    const p = geti(sa, i);
    seti(sa, i, EMPTY);
    const c = at<T>(s, p);
    const b = geti(bounds, c) - 1;
    seti(bounds, c, b);
    seti(sa, b, p);
  }
  induce<T>(s, types, sa, n, ends, sStart, bounds, alphabet, false);
  restoreTop(saved);
  return true;
}

/** Sorts the suffixes of the n bytes at `text` into the n-entry array at `sa`; false when the memory could not grow. */
export function sort(text: usize, sa: usize, n: i32): bool {
  if (n <= 0) return true;
  return induceSort<u8>(text, sa, n, 256, 0, 0);
}
