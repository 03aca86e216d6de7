import { describe, expect, it } from 'vitest';
import { applyDelta } from './apply-delta';
import { writeZdelta } from './create-delta';
import type { DeltaScript } from './delta-script';
import { createHashMatcher } from './hash-match';
import { firmwareImage, nextRelease, seededBytes } from './firmware-fixtures';
import { createSuffixArrayMatcher } from './suffix-array-match';
import { scanDelta } from './delta-scan';
import { MAX_SUFFIX_SORT_BYTES } from './suffix-array';
import { createDelta } from './create-delta';

const bytesOf = (script: DeltaScript): Buffer =>
  Buffer.concat([Buffer.from(Float64Array.from(script.control).buffer), Buffer.from(script.diff), Buffer.from(script.extra)]);

describe('delta scan in WebAssembly', () => {
  it('makes the same script with its own suffix-array searches as with the same searches asked of the caller, and the hash matcher\'s patches apply', () => {
    const old = firmwareImage(61, 600_000);
    const moved = nextRelease(old, 62);
    // A block moved from the end to the front, and a stretch of new bytes.
    moved.set(old.subarray(old.length - 50_000), 1_000);
    moved.set(seededBytes(63, 20_000), 300_000);
    const cases: Array<[string, Uint8Array, Uint8Array]> = [
      ['firmware release', old, nextRelease(old, 64)],
      ['moved blocks and new bytes', old, moved],
      ['padding to image', new Uint8Array(200_000).fill(0xff), firmwareImage(65, 200_000)],
      ['unrelated', seededBytes(66, 50_000), seededBytes(67, 60_000)],
      ['identical', old, old],
      ['empty old', new Uint8Array(0), seededBytes(68, 1000)],
      ['empty new', old, new Uint8Array(0)],
      ['one byte', Uint8Array.of(7), Uint8Array.of(7, 7)],
    ];
    for (const [name, a, b] of cases) {
      expect(bytesOf(scanDelta(a, b, 'suffix-array')).equals(bytesOf(scanDelta(a, b, createSuffixArrayMatcher(a)))), name).toBe(true);
      // The old image sorted in two parts (parallel-suffix-sort.ts), both searched.
      const inParts = { parallel: true, worker: false };
      const script = scanDelta(a, b, 'suffix-array', undefined, inParts);
      expect((script.sorted?.size2 ?? 0) > 0, name).toBe(a.length > 2 * 4096);
      expect(bytesOf(script).equals(bytesOf(scanDelta(a, b, createSuffixArrayMatcher(a, inParts)))), `${name}, two parts`).toBe(true);
      const byHash = scanDelta(a, b, createHashMatcher(a));
      expect(Buffer.from(applyDelta(a, writeZdelta(byHash, a, b))).equals(Buffer.from(b)), `${name}, hash`).toBe(true);
    }
  }, 60_000);

  it('reports its progress in order, up to the whole image', () => {
    const old = firmwareImage(69, 3 << 20);
    const seen: number[] = [];
    scanDelta(old, nextRelease(old, 70), 'suffix-array', (f) => seen.push(f));
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(1);
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]!))).toBe(true);
  }, 60_000);
});

describe('delta scan limits', () => {
  it('refuses an old image too large to sort with a catalogued code, before reading it', () => {
    const huge = { length: MAX_SUFFIX_SORT_BYTES + 1 } as Uint8Array;
    expect(() => createDelta(huge, Uint8Array.of(1, 2, 3))).toThrow(expect.objectContaining({ code: 'ZUC-5109' }));
  });
});
