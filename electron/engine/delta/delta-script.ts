import { MATCH_PROBE_LIMIT_BYTES, type Matcher, type MatchResult } from './match';

/**
 * What a delta says, before compression: a list of control entries and the
 * two byte streams they consume. Entry k = (add, copy, seek): add `add`
 * bytes of the diff stream to the old image at the old cursor (both cursors
 * advance), append `copy` bytes of the extra stream, then move the old cursor
 * by `seek` (may be negative). The sum of add + copy is the new image size.
 */
export interface DeltaScript {
  /** Flattened (add, copy, seek) triples. */
  control: number[];
  diff: Uint8Array;
  extra: Uint8Array;
}

/** How many more bytes a new match must explain than the current alignment before the scan switches to it (bsdiff's choice). */
const SWITCH_MARGIN_BYTES = 8;
const PROGRESS_STEP_BYTES = 1 << 20;
const ALIGNED_ENOUGH_BYTES = 32;
/**
 * The search is skipped while the current alignment agrees on all but
 * SKIP_MAX_MISMATCHES of the next SKIP_WINDOW_BYTES bytes. Rebuilt native code
 * differs from its old version every dozen bytes or so (changed addresses and
 * offsets), so the current alignment rarely matches 32 bytes in a row there
 * and a search ran at nearly every byte — most of the scan's time — though a
 * match elsewhere almost never beats an alignment this good by the switch
 * margin. Where it does (a moved block longer than the window), a search a
 * few bytes later, once the window has left the well-aligned bytes, finds it
 * and the backward extension takes back the bytes skipped. On the corpus:
 * 5–8× fewer searches, patches within ±0.4 %.
 */
const SKIP_WINDOW_BYTES = 32;
const SKIP_MAX_MISMATCHES = 12;
/**
 * Where the alignment is poor, a search runs only at every second position: a
 * match found one byte late is extended back over that byte by the backward
 * extension, so patches stay the same size (on the corpus 0.3–0.4 % smaller for
 * esbuild and rollup, equal for libcrypto) for half the searches. Every
 * third position is too sparse: with only the 16 newest candidates per
 * string, some long matches in esbuild's repetitive code are found from a
 * few positions only.
 */
const SEARCH_INTERVAL_BYTES = 2;

/**
 * Walks the new image and aligns it to the old one, bsdiff-style: an exact
 * match found by the matcher (suffix array or hash index of the old image,
 * match.ts) is taken when it explains clearly
 * more bytes than simply continuing the current alignment; around each
 * taken match the alignment is extended forwards and backwards for as long
 * as more than half of the bytes agree, so small edits (changed pointers,
 * shifted offsets) land in the well-compressible diff stream instead of the
 * extra stream.
 */
export function buildDeltaScript(
  old: Uint8Array,
  next: Uint8Array,
  matcher: Matcher,
  onProgress?: (fraction: number) => void,
): DeltaScript {
  const oldSize = old.length;
  const newSize = next.length;
  const control: number[] = [];
  const diff = new Uint8Array(newSize);
  // Extra bytes are usually few: grow on demand instead of reserving the new image's size twice.
  let extra = new Uint8Array(Math.min(newSize, 1 << 16));
  let diffLength = 0;
  let extraLength = 0;
  const match: MatchResult = { pos: 0, len: 0 };
  onProgress?.(0);

  let scan = 0;
  let len = 0;
  let pos = 0;
  let lastScan = 0;
  let lastPos = 0;
  let lastOffset = 0;
  let nextProgress = PROGRESS_STEP_BYTES;
  // Mismatches of the alignment `windowOffset` in the new image's [windowStart, windowStart + SKIP_WINDOW_BYTES),
  // slid along with the scan and recounted when the alignment changes.
  let windowOffset = 0;
  let windowStart = -1;
  let windowMismatches = 0;
  const mismatch = (at: number, offset: number): number => {
    if (at >= newSize) return 1;
    const o = at + offset;
    return o < 0 || o >= oldSize || old[o] !== next[at] ? 1 : 0;
  };

  while (scan < newSize) {
    // Score of the current alignment (old = new + lastOffset) over the candidate match.
    let alignedScore = 0;
    let scored = (scan += len);
    for (; scan < newSize; scan++) {
      // The current alignment goes on matching: take it without a search (a cache miss per candidate).
      const aligned = scan + lastOffset;
      let k = 0;
      if (aligned >= 0 && aligned < oldSize) {
        const limit = Math.min(MATCH_PROBE_LIMIT_BYTES, oldSize - aligned, newSize - scan);
        while (k < limit && old[aligned + k] === next[scan + k]) k++;
      }
      if (k >= ALIGNED_ENOUGH_BYTES) {
        match.pos = aligned;
        match.len = k;
      } else {
        if (windowStart < 0 || windowOffset !== lastOffset || scan - windowStart > SKIP_WINDOW_BYTES) {
          windowOffset = lastOffset;
          windowMismatches = 0;
          for (let i = 0; i < SKIP_WINDOW_BYTES; i++) windowMismatches += mismatch(scan + i, lastOffset);
        } else {
          for (let i = windowStart; i < scan; i++) windowMismatches += mismatch(i + SKIP_WINDOW_BYTES, lastOffset) - mismatch(i, lastOffset);
        }
        windowStart = scan;
        if (windowMismatches <= SKIP_MAX_MISMATCHES || scan % SEARCH_INTERVAL_BYTES !== 0) {
          match.pos = aligned;
          match.len = k;
        } else {
          matcher.find(next, scan, match);
        }
      }
      len = match.len;
      pos = match.pos;
      for (; scored < scan + len; scored++) {
        const o = scored + lastOffset;
        if (o >= 0 && o < oldSize && old[o] === next[scored]) alignedScore++;
      }
      if ((len === alignedScore && len !== 0) || len > alignedScore + SWITCH_MARGIN_BYTES) break;
      const o = scan + lastOffset;
      if (o >= 0 && o < oldSize && old[o] === next[scan]) alignedScore--;
    }
    if (scan >= nextProgress && onProgress) {
      onProgress(scan / newSize);
      nextProgress = scan + PROGRESS_STEP_BYTES;
    }
    if (len === alignedScore && scan < newSize) continue;

    // Extend the previous match forwards while more than half the bytes agree.
    let forward = 0;
    for (let i = 0, agree = 0, best = 0; lastScan + i < scan && lastPos + i < oldSize; ) {
      if (old[lastPos + i] === next[lastScan + i]) agree++;
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
        if (old[pos - i] === next[scan - i]) agree++;
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
        if (next[lastScan + forward - overlap + i] === old[lastPos + forward - overlap + i]) score++;
        if (next[scan - backward + i] === old[pos - backward + i]) score--;
        if (score > bestScore) {
          bestScore = score;
          split = i + 1;
        }
      }
      forward += split - overlap;
      backward -= split;
    }

    for (let i = 0; i < forward; i++) diff[diffLength + i] = next[lastScan + i]! - old[lastPos + i]!;
    diffLength += forward;
    const copy = scan - backward - (lastScan + forward);
    if (extraLength + copy > extra.length) {
      const grown = new Uint8Array(Math.min(newSize, Math.max(extraLength + copy, extra.length * 2)));
      grown.set(extra.subarray(0, extraLength));
      extra = grown;
    }
    extra.set(next.subarray(lastScan + forward, lastScan + forward + copy), extraLength);
    extraLength += copy;
    control.push(forward, copy, pos - backward - (lastPos + forward));

    lastScan = scan - backward;
    lastPos = pos - backward;
    lastOffset = pos - scan;
  }
  return { control: dropEmptyEntries(control), diff: diff.subarray(0, diffLength), extra: extra.subarray(0, extraLength) };
}

/**
 * Folds entries that add and copy nothing into the seek of the entry before,
 * so every entry but a leading pure seek produces bytes (the applier relies
 * on that to bound the number of entries by the output size).
 */
export function dropEmptyEntries(control: number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < control.length; k += 3) {
    const add = control[k]!;
    const copy = control[k + 1]!;
    const seek = control[k + 2]!;
    if (add + copy === 0 && out.length > 0) out[out.length - 1] = out[out.length - 1]! + seek;
    else out.push(add, copy, seek);
  }
  return out;
}
