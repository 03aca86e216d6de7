import { describe, it, expect } from 'vitest';
import { applyDelta, applyDeltaStream, createDelta, MATCHER_NAMES, readDeltaHeader, type MatcherName } from './index';
import { firmwareImage, nextRelease, seededBytes } from './firmware-fixtures';

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

describe('both matchers', () => {
  const old = firmwareImage(41, 400_000);
  const next = nextRelease(old, 42);
  const patches = new Map<MatcherName, Uint8Array>(MATCHER_NAMES.map((m) => [m, createDelta(old, next, { matcher: m })]));

  it.each(MATCHER_NAMES)('%s: round-trips firmware-like releases and edge cases', (matcher) => {
    const random = seededBytes(43, 30_000);
    const cases: Array<[string, Uint8Array, Uint8Array]> = [
      ['firmware release', firmwareImage(44, 250_000), nextRelease(firmwareImage(44, 250_000), 45)],
      ['second release on top', next, nextRelease(next, 46)],
      ['unrelated random', seededBytes(47, 20_000), seededBytes(48, 20_000)],
      ['padding to image', new Uint8Array(100_000).fill(0xff), firmwareImage(49, 100_000)],
      ['identical', random, random],
      ['empty old', new Uint8Array(0), random],
      ['empty new', random, new Uint8Array(0)],
      ['one byte', Uint8Array.of(1), Uint8Array.of(2)],
    ];
    for (const [name, a, b] of cases) {
      expect(same(applyDelta(a, createDelta(a, b, { matcher })), b), name).toBe(true);
    }
    expect(patches.get(matcher)!.length).toBeLessThan(next.length / 20);
  }, 60_000);

  it('produce the same zdelta format: one applier, one header, patch sizes close to each other', async () => {
    const sizes: number[] = [];
    for (const [matcher, patch] of patches) {
      expect(readDeltaHeader(patch), matcher).toMatchObject({ format: 'zdelta', oldSize: old.length, newSize: next.length });
      const chunks: Uint8Array[] = [];
      await applyDeltaStream(old, patch, (chunk) => void chunks.push(chunk.slice()));
      expect(same(Buffer.concat(chunks), next), matcher).toBe(true);
      sizes.push(patch.length);
    }
    expect(Math.max(...sizes) / Math.min(...sizes)).toBeLessThan(1.1);
  });

  it('refuses an unknown matcher name with a catalogued error', () => {
    expect(() => createDelta(old, next, { matcher: 'bogus' as MatcherName })).toThrow(expect.objectContaining({ code: expect.stringMatching(/^ZUC-/) }));
  });
});
