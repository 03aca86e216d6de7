import { describe, it, expect } from 'vitest';
import { buildSuffixArray } from './suffix-array';
import { seededText as randomText } from './firmware-fixtures';

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
});
