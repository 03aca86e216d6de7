/**
 * What the delta scan asks of a matcher: the longest stretch of the old
 * image that equals the new image from a given position. The scan, the
 * bsdiff-style extension both ways and the stream layout are the same for
 * every matcher (assembly/scan.ts); only this search differs, so both
 * matchers produce the same zdelta format and patches of nearly equal size.
 */

/**
 * Matches are measured up to this many bytes. A longer match is as good as
 * "long": the scan accepts it and continues right after it, and capping the
 * probe keeps every search cheap on long runs (0xFF padding), where an
 * uncapped search would compare megabytes at every byte of the scan.
 */
export const MATCH_PROBE_LIMIT_BYTES = 4096;

/** Result of the last search; reused to avoid an allocation per search. */
export interface MatchResult {
  pos: number;
  len: number;
}

/**
 * `suffix-array`: SA-IS suffix array of the old image, binary search — the
 * longest match, always (issue 3). `hash`: hash index of 8-byte strings —
 * faster to diff (1.1–2× on the corpus), patches within ~0.5 %.
 */
export type MatcherName = 'suffix-array' | 'hash';

export const MATCHER_NAMES: readonly MatcherName[] = ['suffix-array', 'hash'];
export const DEFAULT_MATCHER: MatcherName = 'suffix-array';

/** An index of one old image. */
export interface Matcher {
  readonly name: MatcherName;
  /**
   * Writes into `out` an old position and the length of its match with
   * `next[newPos…]` (capped at MATCH_PROBE_LIMIT_BYTES); length 0 when none.
   */
  find(next: Uint8Array, newPos: number, out: MatchResult): void;
}

export function isMatcherName(value: unknown): value is MatcherName {
  return (MATCHER_NAMES as readonly unknown[]).includes(value);
}
