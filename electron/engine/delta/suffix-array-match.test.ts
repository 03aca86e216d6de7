import { describe, it, expect } from 'vitest';
import { MATCH_PROBE_LIMIT_BYTES, type MatchResult } from './match';
import { createSuffixArrayMatcher } from './suffix-array-match';
import { seededText as randomText } from './firmware-fixtures';


/** Longest common prefix of next[at…] with any suffix of old, by trying every old position. */
function naiveLongest(old: Uint8Array, next: Uint8Array, at: number): number {
  let best = 0;
  for (let p = 0; p < old.length; p++) {
    let k = 0;
    while (k < MATCH_PROBE_LIMIT_BYTES && p + k < old.length && at + k < next.length && old[p + k] === next[at + k]) k++;
    best = Math.max(best, k);
  }
  return best;
}

describe('suffix-array matcher', () => {
  it('finds the longest match at every position, as an exhaustive search does', () => {
    for (let seed = 1; seed <= 120; seed++) {
      const alphabet = [2, 3, 4, 256][seed % 4]!;
      const old = randomText(seed, 1 + (seed * 7) % 300, alphabet);
      // The new text reuses pieces of the old one, so there are long matches as well as short ones.
      const next = randomText(seed + 1000, 1 + (seed * 13) % 200, alphabet);
      if (old.length > 40 && next.length > 60) next.set(old.subarray(10, 40), 20);
      const matcher = createSuffixArrayMatcher(old);
      const out: MatchResult = { pos: -1, len: -1 };
      for (let at = 0; at < next.length; at++) {
        matcher.find(next, at, out);
        expect(out.len, `seed ${seed} at ${at}`).toBe(naiveLongest(old, next, at));
        // The reported position really holds that match.
        expect(Buffer.from(old.subarray(out.pos, out.pos + out.len)).equals(Buffer.from(next.subarray(at, at + out.len))), `seed ${seed} at ${at}`).toBe(true);
      }
    }
  });

  it('finds a long moved block in full and a one-byte match where only that exists', () => {
    const old = randomText(5, 100_000, 256);
    const next = randomText(6, 3_000, 256);
    next.set(old.subarray(77_000, 79_000), 500);
    const matcher = createSuffixArrayMatcher(old);
    const out: MatchResult = { pos: 0, len: 0 };
    matcher.find(next, 500, out);
    expect(out).toEqual({ pos: 77_000, len: 2_000 });
    const single = createSuffixArrayMatcher(Uint8Array.of(9));
    single.find(Uint8Array.of(1, 9, 9), 1, out);
    expect(out).toEqual({ pos: 0, len: 1 });
  });

  it('caps matches on long padding runs at the probe limit', () => {
    const old = new Uint8Array(1 << 20).fill(0xff);
    const next = new Uint8Array(10_000).fill(0xff);
    const out: MatchResult = { pos: 0, len: 0 };
    createSuffixArrayMatcher(old).find(next, 0, out);
    expect(out.len).toBe(MATCH_PROBE_LIMIT_BYTES);
  });

  it('finds nothing in an empty old image', () => {
    const out: MatchResult = { pos: 5, len: 5 };
    createSuffixArrayMatcher(new Uint8Array(0)).find(Uint8Array.of(1, 2), 0, out);
    expect(out.len).toBe(0);
  });
});
