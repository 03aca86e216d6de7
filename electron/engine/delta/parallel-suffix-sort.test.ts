import { describe, it, expect } from 'vitest';
import { codecWorkerRunning } from './delta-worker-client';
import { firmwareImage, nextRelease } from './firmware-fixtures';
import { MATCH_PROBE_LIMIT_BYTES, type MatchResult } from './match';
import { PARALLEL_SORT_MIN_BYTES, sortSuffixesInParts } from './parallel-suffix-sort';
import { buildSuffixArray } from './suffix-array';
import { createSuffixArrayMatcher } from './suffix-array-match';

const OLD = firmwareImage(21, PARALLEL_SORT_MIN_BYTES + 300_000);
/** The array's own bytes: it may be a view into a larger memory. */
const bytesOf = (sa: Int32Array): Buffer => Buffer.from(sa.buffer, sa.byteOffset, sa.byteLength);

describe('suffix sort in the codec worker thread', () => {
  it('sorts the first half in a worker (from the TypeScript sources) and the second in the caller, each exactly as one thread would', () => {
    const parts = sortSuffixesInParts(OLD, MATCH_PROBE_LIMIT_BYTES);
    expect(parts.map((p) => p.sortedBy)).toEqual(['worker', 'caller']);
    // Kept for the diff's next task (the bzip2 blocks of its diff stream), so that does not start another.
    expect(codecWorkerRunning()).toBe(true);
    const half = OLD.length >>> 1;
    expect(parts.map((p) => [p.offset, p.text.length])).toEqual([
      [0, half + MATCH_PROBE_LIMIT_BYTES],
      [half, OLD.length - half],
    ]);
    for (const part of parts) {
      expect(Buffer.from(part.text).equals(Buffer.from(OLD.subarray(part.offset, part.offset + part.text.length)))).toBe(true);
      expect(bytesOf(part.sa).equals(bytesOf(buildSuffixArray(part.text)))).toBe(true);
    }
  }, 60_000);

  it('finds matches as long as a single suffix array does, also across the split and inside the overlap', () => {
    const next = nextRelease(OLD, 22);
    const half = OLD.length >>> 1;
    // Pieces of the old image around the split point and at both ends, so the longest match of some positions lies in one part only.
    next.set(OLD.subarray(half - 3000, half + 5000), 1000);
    next.set(OLD.subarray(0, 2000), 20_000);
    next.set(OLD.subarray(OLD.length - 2000), 30_000);
    const single = createSuffixArrayMatcher(OLD, { parallel: false });
    const split = createSuffixArrayMatcher(OLD, { parallel: true });
    const a: MatchResult = { pos: 0, len: 0 };
    const b: MatchResult = { pos: 0, len: 0 };
    for (let at = 0; at < 40_000; at += 7) {
      single.find(next, at, a);
      split.find(next, at, b);
      expect(b.len, `at ${at}`).toBe(a.len);
      expect(Buffer.from(OLD.subarray(b.pos, b.pos + b.len)).equals(Buffer.from(next.subarray(at, at + b.len))), `at ${at}`).toBe(true);
    }
    // The block straddling the split is found whole (up to the probe limit).
    split.find(next, 1000, b);
    expect(b).toEqual({ pos: half - 3000, len: MATCH_PROBE_LIMIT_BYTES });
  }, 60_000);

  it('sorts small images in the calling thread, where a worker would cost more than it saves', () => {
    const small = firmwareImage(23, 100_000);
    const parts = sortSuffixesInParts(small, MATCH_PROBE_LIMIT_BYTES);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.sortedBy).toBe('caller');
  });
});
