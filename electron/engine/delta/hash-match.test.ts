import { describe, it, expect } from 'vitest';
import { buildHashIndex, HASH_MATCH_MIN_BYTES, longestHashMatch } from './hash-match';
import { MATCH_PROBE_LIMIT_BYTES, type MatchResult } from './match';
import { seededBytes as randomBytes } from './firmware-fixtures';


function find(old: Uint8Array, next: Uint8Array, at: number): MatchResult {
  const out: MatchResult = { pos: -1, len: -1 };
  longestHashMatch(buildHashIndex(old), old, next, at, out);
  return out;
}

describe('hash-indexed longest match', () => {
  it('finds a block of the new image wherever it sits in the old one, with its full length', () => {
    const old = randomBytes(7, 200_000);
    const next = new Uint8Array(5_000);
    next.set(randomBytes(9, 5_000));
    next.set(old.subarray(123_456, 123_456 + 1_000), 2_000);
    expect(find(old, next, 2_000)).toEqual({ pos: 123_456, len: 1_000 });
    // Random bytes around it share nothing of 8 bytes with the old image.
    expect(find(old, next, 100).len).toBe(0);
  });

  it('finds a match from its first byte whether it starts at an even or an odd old position (every second one is indexed)', () => {
    const old = randomBytes(21, 100_000);
    for (const start of [40_000, 40_001, 77_777]) {
      const next = randomBytes(22, 3_000);
      next.set(old.subarray(start, start + 500), 1_000);
      expect(find(old, next, 1_000), `old offset ${start}`).toEqual({ pos: start, len: 500 });
      expect(find(old, next, 1_001), `old offset ${start} + 1`).toEqual({ pos: start + 1, len: 499 });
    }
  });

  it('prefers the longest of several candidates with the same first bytes', () => {
    const old = randomBytes(3, 50_000);
    const next = randomBytes(5, 600);
    // Three copies of the first 20, 300 and 60 bytes of `next` in the old image.
    old.set(next.subarray(0, 20), 1_000);
    old.set(next.subarray(0, 300), 20_000);
    old.set(next.subarray(0, 60), 40_000);
    expect(find(old, next, 0)).toEqual({ pos: 20_000, len: 300 });
  });

  it('matches long runs (padding) from the start of the run, capped at the probe limit, and stays fast', () => {
    const old = new Uint8Array(4 << 20).fill(0xff);
    old.set(randomBytes(11, 1_000), 0);
    const next = new Uint8Array(1 << 20).fill(0xff);
    const index = buildHashIndex(old);
    const out: MatchResult = { pos: 0, len: 0 };
    const started = performance.now();
    for (let at = 0; at < next.length; at += 97) longestHashMatch(index, old, next, at, out);
    expect(performance.now() - started).toBeLessThan(5_000);
    longestHashMatch(index, old, next, 0, out);
    expect(out).toEqual({ pos: 1_000, len: MATCH_PROBE_LIMIT_BYTES });
  });

  it('finds nothing shorter than the index granularity and nothing in images shorter than it', () => {
    const old = randomBytes(13, 10_000);
    const next = Uint8Array.from([...old.subarray(500, 500 + HASH_MATCH_MIN_BYTES - 1), 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(find(old, next, 0).len).toBe(0);
    expect(find(old.subarray(0, 5), old.subarray(0, 5), 0).len).toBe(0);
    expect(find(new Uint8Array(0), old, 0).len).toBe(0);
  });
});
