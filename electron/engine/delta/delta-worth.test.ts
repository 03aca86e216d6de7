import { brotliCompressSync } from 'node:zlib';
import { describe, it, expect } from 'vitest';
import { createDelta, shouldUseDelta } from './index';
import { firmwareImage, nextRelease, seededBytes } from './firmware-fixtures';

describe('whether a delta is worth shipping', () => {
  it('recommends the delta for a small release-to-release change', () => {
    const old = firmwareImage(51, 200_000);
    const next = nextRelease(old, 52);
    const verdict = shouldUseDelta(old, next, createDelta(old, next));
    expect(verdict.useDelta).toBe(true);
    expect(verdict.ratio).toBeLessThan(0.5);
  }, 120_000);

  it('refuses to pretend for compressed images, and says why', () => {
    // Two builds of a compressed image share nothing at byte level, like OVMF's LZMA sections or a bzImage.
    const old = brotliCompressSync(firmwareImage(53, 300_000));
    const next = brotliCompressSync(nextRelease(firmwareImage(53, 300_000), 54));
    const verdict = shouldUseDelta(old, next, createDelta(old, next));
    expect(verdict.useDelta).toBe(false);
    expect(verdict.reason).toMatch(/ship the full image/);
  }, 120_000);

  it('checks that the patch belongs to the two images', () => {
    const old = seededBytes(55, 5000);
    const next = seededBytes(56, 5000);
    const patch = createDelta(old, next);
    expect(() => shouldUseDelta(next, next, patch)).toThrow(expect.objectContaining({ code: 'ZUC-5107' }));
    expect(() => shouldUseDelta(old, old, patch)).toThrow(expect.objectContaining({ code: 'ZUC-5108' }));
  }, 120_000);
});
