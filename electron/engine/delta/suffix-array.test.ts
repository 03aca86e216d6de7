import { describe, it, expect } from 'vitest';
import { buildSuffixArray, MAX_SUFFIX_SORT_BYTES } from './suffix-array';
import { firmwareImage, seededText as randomText } from './firmware-fixtures';

function naiveSuffixArray(text: Uint8Array): number[] {
  const order = Array.from(text, (_, i) => i);
  return order.sort((a, b) => {
    for (let d = 0; ; d++) {
      if (a + d === text.length) return -1;
      if (b + d === text.length) return 1;
      const diff = text[a + d]! - text[b + d]!;
      if (diff !== 0) return diff;
    }
  });
}


describe('suffix array (SA-IS)', () => {
  it('matches a naive sort on thousands of small random strings over small and full alphabets', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const alphabet = [2, 3, 4, 256][seed % 4]!;
      const text = randomText(seed, 1 + (seed % 97), alphabet);
      expect(Array.from(buildSuffixArray(text)), `seed ${seed}`).toEqual(naiveSuffixArray(text));
    }
  });

  it('sorts degenerate inputs: empty, one byte, long runs and periodic text', () => {
    expect(Array.from(buildSuffixArray(new Uint8Array(0)))).toEqual([]);
    expect(Array.from(buildSuffixArray(Uint8Array.of(7)))).toEqual([0]);
    const cases = [
      new Uint8Array(500).fill(0xff),
      Uint8Array.from({ length: 600 }, (_, i) => i % 3),
      Uint8Array.from({ length: 777 }, (_, i) => (i % 17 < 16 ? 0xff : i & 0xff)),
      new TextEncoder().encode('mississippi'.repeat(40)),
    ];
    for (const text of cases) expect(Array.from(buildSuffixArray(text))).toEqual(naiveSuffixArray(text));
  });

  it('sorts megabyte texts, including ones whose recursion goes many levels deep', () => {
    // Linear check: rows hold each position once, and a row's suffix is smaller than the next row's by its
    // first byte or, when that ties, by the rank of the suffixes one byte further on.
    const inOrder = (text: Uint8Array, sa: Int32Array): void => {
      const rank = new Int32Array(text.length + 1).fill(-1);
      sa.forEach((p, row) => (rank[p] = row));
      expect(rank.subarray(0, text.length).includes(-1)).toBe(false);
      rank[text.length] = -1;
      for (let i = 1; i < sa.length; i++) {
        const a = sa[i - 1]!;
        const b = sa[i]!;
        if (!(text[a]! < text[b]! || (text[a] === text[b] && rank[a + 1]! < rank[b + 1]!))) throw new Error(`rows ${i - 1} and ${i} out of order`);
      }
    };
    const firmware = firmwareImage(7, 3 << 20);
    inOrder(firmware, buildSuffixArray(firmware));
    const periodic = Uint8Array.from({ length: 1 << 18 }, (_, i) => [3, 1, 4, 1, 5, 9, 2, 6][i % 8]! + (i % 1021 === 0 ? 1 : 0));
    inOrder(periodic, buildSuffixArray(periodic));
    // One long run: every suffix is a prefix of the one before it, so they sort shortest first.
    const run = buildSuffixArray(new Uint8Array(1 << 20).fill(0xff));
    expect(run.every((p, i) => p === run.length - 1 - i)).toBe(true);
  });

  it('refuses a text too large for its memory with a catalogued code', () => {
    const huge = { length: MAX_SUFFIX_SORT_BYTES + 1 } as Uint8Array;
    expect(() => buildSuffixArray(huge)).toThrow(expect.objectContaining({ code: 'ZUC-5109' }));
  });
});
