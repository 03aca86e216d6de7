/**
 * Suffix array construction by induced sorting (SA-IS, Nong, Zhang & Chan
 * 2009): linear time, and besides the 4n-byte result only n bytes of type
 * flags plus small bucket tables, because the reduced problem lives inside
 * the result array itself.
 */

type Text = Uint8Array | Int32Array;

const EMPTY = -1;
const L_TYPE = 0;
const S_TYPE = 1;

/** Sorted start positions of every suffix of `text` (the empty suffix excluded). */
export function buildSuffixArray(text: Uint8Array): Int32Array {
  const sa = new Int32Array(text.length);
  if (text.length > 0) induceSort(text, sa, text.length, 256);
  return sa;
}

function isLms(types: Uint8Array, i: number): boolean {
  return i > 0 && types[i] === S_TYPE && types[i - 1] === L_TYPE;
}

/** Starts (or ends, with `ends`) of each character's bucket in the sorted order. */
function bucketBounds(counts: Int32Array, bounds: Int32Array, ends: boolean): void {
  let sum = 0;
  for (let c = 0; c < counts.length; c++) {
    sum += counts[c]!;
    bounds[c] = ends ? sum : sum - counts[c]!;
  }
}

/**
 * Induces L-type suffixes left to right, then S-type right to left. With
 * `markLms`, S-type suffixes whose predecessor is L-type (the LMS ones) are
 * stored complemented (~j), so the caller can gather them in sorted order by
 * a sequential scan instead of a type look-up per entry.
 *
 * The type of the predecessor j = k − 1 of a visited suffix k comes from the
 * two adjacent characters s[j], s[k] (one cache line) and, when they are
 * equal, from k's own type, which its row tells: within a bucket the L-type
 * rows come first, so row i holds an S-type suffix exactly when i ≥ sStart[c].
 * That saves a random read of a type array per row, the dominant cost of the
 * sort (every row is a cache miss somewhere in the text).
 *
 * Every loop of the sort is a function of its own that ends with the loop:
 * V8 compiles a hot loop while it runs (OSR), before the code after it ever
 * ran, and an operation there without type feedback discarded the compiled
 * code at the end of every call — hundreds of times per bzip2 stream (one
 * suffix sort per block), each followed by the rest running interpreted.
 */
function induceBytes(s: Uint8Array, sa: Int32Array, n: number, counts: Int32Array, sStart: Int32Array, bounds: Int32Array, markLms: boolean): void {
  bucketBounds(counts, bounds, false);
  induceLBytes(s, sa, n, bounds);
  bucketBounds(counts, bounds, true);
  induceSBytes(s, sa, n, sStart, bounds, markLms);
}

function induceLBytes(s: Uint8Array, sa: Int32Array, n: number, bounds: Int32Array): void {
  // The last suffix is L-type and follows the virtual sentinel, the smallest of all.
  sa[bounds[s[n - 1]!]!++] = n - 1;
  for (let i = 0; i < n; i++) {
    const j = sa[i]! - 1;
    if (j < 0) continue;
    const c = s[j]!;
    if (c >= s[j + 1]!) sa[bounds[c]!++] = j;
  }
}

function induceSBytes(s: Uint8Array, sa: Int32Array, n: number, sStart: Int32Array, bounds: Int32Array, markLms: boolean): void {
  for (let i = n - 1; i >= 0; i--) {
    const v = sa[i]!;
    const k = v < 0 ? ~v : v;
    if (k === 0) continue;
    const j = k - 1;
    const c = s[j]!;
    const next = s[k]!;
    if (c < next || (c === next && i >= sStart[next]!)) sa[--bounds[c]!] = markLms && j > 0 && s[j - 1]! > c ? ~j : j;
  }
}

/**
 * The same as induceBytes for the reduced text of a recursion. Two copies so
 * that each stays monomorphic: V8 then compiles the random `s[j]` loads to a
 * single typed load instead of a map check.
 */
function induceInts(s: Int32Array, sa: Int32Array, n: number, counts: Int32Array, sStart: Int32Array, bounds: Int32Array, markLms: boolean): void {
  bucketBounds(counts, bounds, false);
  induceLInts(s, sa, n, bounds);
  bucketBounds(counts, bounds, true);
  induceSInts(s, sa, n, sStart, bounds, markLms);
}

function induceLInts(s: Int32Array, sa: Int32Array, n: number, bounds: Int32Array): void {
  sa[bounds[s[n - 1]!]!++] = n - 1;
  for (let i = 0; i < n; i++) {
    const j = sa[i]! - 1;
    if (j < 0) continue;
    const c = s[j]!;
    if (c >= s[j + 1]!) sa[bounds[c]!++] = j;
  }
}

function induceSInts(s: Int32Array, sa: Int32Array, n: number, sStart: Int32Array, bounds: Int32Array, markLms: boolean): void {
  for (let i = n - 1; i >= 0; i--) {
    const v = sa[i]!;
    const k = v < 0 ? ~v : v;
    if (k === 0) continue;
    const j = k - 1;
    const c = s[j]!;
    const next = s[k]!;
    if (c < next || (c === next && i >= sStart[next]!)) sa[--bounds[c]!] = markLms && j > 0 && s[j - 1]! > c ? ~j : j;
  }
}

function lmsSubstringsEqual(s: Text, types: Uint8Array, n: number, p: number, q: number): boolean {
  for (let d = 0; ; d++) {
    if (p + d === n || q + d === n) return false;
    if (s[p + d] !== s[q + d] || types[p + d] !== types[q + d]) return false;
    if (d > 0 && (isLms(types, p + d) || isLms(types, q + d))) return isLms(types, p + d) && isLms(types, q + d);
  }
}

function classify(s: Text, types: Uint8Array, n: number): void {
  types[n - 1] = L_TYPE;
  for (let i = n - 2; i >= 0; i--) {
    const a = s[i]!;
    const b = s[i + 1]!;
    types[i] = a < b || (a === b && types[i + 1] === S_TYPE) ? S_TYPE : L_TYPE;
  }
}

/** Counts per character, and in sStart the L-type count per character (made into row numbers by the caller). */
function countTypes(s: Text, types: Uint8Array, n: number, counts: Int32Array, sStart: Int32Array): void {
  for (let i = 0; i < n; i++) {
    const c = s[i]!;
    counts[c]!++;
    if (types[i] === L_TYPE) sStart[c]!++;
  }
}

function dropLmsAtBucketEnds(s: Text, types: Uint8Array, sa: Int32Array, n: number, bounds: Int32Array): void {
  for (let i = n - 1; i >= 1; i--) if (isLms(types, i)) sa[--bounds[s[i]!]!] = i;
}

/** Moves the complemented (sorted LMS) entries to the front, uncomplemented; returns their count. */
function gatherMarked(sa: Int32Array, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const p = sa[i]!;
    if (p < 0) sa[m++] = ~p;
  }
  return m;
}

/** Names the sorted LMS substrings (equal ones alike) into sa[m + p/2]; returns the number of names. */
function nameLms(s: Text, types: Uint8Array, sa: Int32Array, n: number, m: number): number {
  let names = 0;
  let previous = -1;
  for (let i = 0; i < m; i++) {
    const p = sa[i]!;
    if (previous < 0 || !lmsSubstringsEqual(s, types, n, previous, p)) names++;
    previous = p;
    // LMS positions are at least two apart, so p >> 1 never collides.
    sa[m + (p >> 1)] = names - 1;
  }
  return names;
}

function packNames(sa: Int32Array, n: number, m: number): void {
  for (let i = n - 1, j = n - 1; i >= m; i--) if (sa[i]! >= 0) sa[j--] = sa[i]!;
}

function invert(reduced: Int32Array, reducedSa: Int32Array, m: number): void {
  for (let i = 0; i < m; i++) reducedSa[reduced[i]!] = i;
}

function lmsPositions(types: Uint8Array, n: number, into: Int32Array): void {
  for (let i = 1, j = 0; i < n; i++) if (isLms(types, i)) into[j++] = i;
}

function mapThrough(reducedSa: Int32Array, positions: Int32Array, m: number): void {
  for (let i = 0; i < m; i++) reducedSa[i] = positions[reducedSa[i]!]!;
}

function placeSortedLms(s: Text, sa: Int32Array, m: number, bounds: Int32Array): void {
  for (let i = m - 1; i >= 0; i--) {
    const p = sa[i]!;
    sa[i] = EMPTY;
    sa[--bounds[s[p]!]!] = p;
  }
}

function induceSort(s: Text, sa: Int32Array, n: number, alphabet: number): void {
  const types = new Uint8Array(n);
  classify(s, types, n);
  const counts = new Int32Array(alphabet);
  // First row of each bucket's S-type part: bucket start + its L-type count.
  const sStart = new Int32Array(alphabet);
  countTypes(s, types, n, counts, sStart);
  for (let c = 0, start = 0; c < alphabet; c++) {
    sStart[c]! += start;
    start += counts[c]!;
  }
  const bounds = new Int32Array(alphabet);

  // Stage 1: sort the LMS substrings by inducing from LMS positions dropped at bucket ends.
  sa.fill(EMPTY, 0, n);
  bucketBounds(counts, bounds, true);
  dropLmsAtBucketEnds(s, types, sa, n, bounds);
  if (s instanceof Uint8Array) induceBytes(s, sa, n, counts, sStart, bounds, true);
  else induceInts(s, sa, n, counts, sStart, bounds, true);

  // Gather the sorted LMS positions at the front, then name equal substrings alike.
  const m = gatherMarked(sa, n);
  sa.fill(EMPTY, m, n);
  const names = nameLms(s, types, sa, n, m);
  packNames(sa, n, m);

  // Stage 2: order of the LMS suffixes, by recursion when two substrings share a name.
  const reduced = sa.subarray(n - m, n);
  const reducedSa = sa.subarray(0, m);
  if (names < m) induceSort(reduced, reducedSa, m, names);
  else invert(reduced, reducedSa, m);
  lmsPositions(types, n, reduced);
  mapThrough(reducedSa, reduced, m);

  // Stage 3: drop the sorted LMS suffixes at their bucket ends and induce the rest.
  sa.fill(EMPTY, m, n);
  bucketBounds(counts, bounds, true);
  placeSortedLms(s, sa, m, bounds);
  if (s instanceof Uint8Array) induceBytes(s, sa, n, counts, sStart, bounds, false);
  else induceInts(s, sa, n, counts, sStart, bounds, false);
}
