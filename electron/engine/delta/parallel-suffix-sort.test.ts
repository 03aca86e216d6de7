import { describe, expect, it } from 'vitest';
import { codecInstance, codecModule, copyInto, instanceOver, sortAt } from './codec-wasm-instance';
import { writeZdelta } from './create-delta';
import { firmwareImage, nextRelease, seededText } from './firmware-fixtures';
import { MATCH_PROBE_LIMIT_BYTES, type MatchResult } from './match';
import { createSuffixArrayMatcher } from './suffix-array-match';
import { scanDelta } from './delta-scan';

describe('suffix sort in two parts', () => {
  it('makes the same patch whoever sorts the first part: the worker, or the caller when the worker is not used or has not started', () => {
    const old = firmwareImage(81, 2 << 20);
    const moved = nextRelease(old, 82);
    // Blocks moved across the split, both ways.
    moved.set(old.subarray(old.length - 300_000), 700_000);
    moved.set(old.subarray(100_000, 400_000), 1_600_000);
    const patchOf = (script: ReturnType<typeof scanDelta>): Buffer => Buffer.from(writeZdelta(script, old, moved));
    const byCaller = scanDelta(old, moved, 'suffix-array', undefined, { parallel: true, worker: false });
    expect(byCaller.sorted?.size2).toBeGreaterThan(0);
    expect(byCaller.sorted?.firstSortedBy).toBe('caller');
    const expected = patchOf(byCaller);
    // From sources the worker compiles for a while: the first diffs find it not started and sort both parts themselves.
    const sortedBy = new Set<string>();
    for (let attempt = 0; attempt < 60 && !sortedBy.has('worker'); attempt++) {
      const script = scanDelta(old, moved, 'suffix-array', undefined, { parallel: true });
      expect(patchOf(script).equals(expected), `attempt ${attempt}`).toBe(true);
      sortedBy.add(script.sorted?.firstSortedBy ?? 'unsorted');
    }
    expect(sortedBy.has('worker')).toBe(true);
    // Within a few tenths of a percent of one array's patch (ties between equal matches may go another way).
    const single = patchOf(scanDelta(old, moved, 'suffix-array', undefined, { parallel: false }));
    expect(Math.abs(expected.length - single.length) / single.length).toBeLessThan(0.005);
  }, 120_000);

  it('finds matches as long as one array of the whole image, at every position', () => {
    const old = seededText(83, 40_000, 4);
    const next = seededText(84, 30_000, 4);
    // Long matches that start just below the split, straddle it, and start above it.
    const half = old.length >>> 1;
    next.set(old.subarray(half - 6_000, half - 1_000), 1_000);
    next.set(old.subarray(half - 2_000, half + 3_000), 10_000);
    next.set(old.subarray(half + 10, half + 5_000), 20_000);
    const one = createSuffixArrayMatcher(old, { parallel: false });
    const two = createSuffixArrayMatcher(old, { parallel: true, worker: false });
    const a: MatchResult = { pos: 0, len: 0 };
    const b: MatchResult = { pos: 0, len: 0 };
    let capped = 0;
    for (let at = 0; at < next.length; at++) {
      one.find(next, at, a);
      two.find(next, at, b);
      expect(b.len, `at ${at}`).toBe(a.len);
      expect(Buffer.from(old.subarray(b.pos, b.pos + b.len)).equals(Buffer.from(next.subarray(at, at + b.len))), `at ${at}`).toBe(true);
      if (b.len === MATCH_PROBE_LIMIT_BYTES) capped++;
    }
    expect(capped).toBeGreaterThan(1_000);
  }, 60_000);

  it("lets a second instance sort inside an arena of the first one's memory, and fail rather than outgrow it", () => {
    const text = firmwareImage(85, 200_000);
    const first = codecInstance(8 << 20, 64 << 20);
    const at = copyInto(first, text);
    const own = sortAt(first, at, text.length);
    const sa = first.allocate(4 * text.length);
    const arena = first.allocate(1 << 20);
    const tooSmall = first.allocate(1024);
    const pages = first.memory.buffer.byteLength;

    const cramped = instanceOver(first.memory, codecModule());
    cramped.useArena(tooSmall, tooSmall + 1024);
    expect(cramped.sort(at, sa, text.length)).toBe(0);
    expect(first.memory.buffer.byteLength).toBe(pages);

    const second = instanceOver(first.memory, codecModule());
    second.useArena(arena, arena + (1 << 20));
    expect(second.sort(at, sa, text.length)).toBe(1);
    const memory = first.memory.buffer;
    expect(Buffer.from(memory, sa, 4 * text.length).equals(Buffer.from(memory, own, 4 * text.length))).toBe(true);
    // The first instance's allocations stay above the arena.
    expect(first.allocate(16)).toBeGreaterThanOrEqual(tooSmall + 1024);
  });
});
