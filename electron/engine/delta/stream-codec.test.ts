import { describe, it, expect } from 'vitest';
import { ZucError } from '../../shared/errors';
import { nonZeroEntropyBits, packStream, STREAM_BROTLI, STREAM_BZIP2, STREAM_STORED, unpackStream } from './stream-codec';
import { seededBytes } from './firmware-fixtures';

/** A diff stream as a delta of shifted native code makes it: zeros, and every `gap` bytes one of a few changed values. */
function sparseDiff(bytes: number, gap: number, values: readonly number[]): Uint8Array {
  const diff = new Uint8Array(bytes);
  const noise = seededBytes(5, bytes);
  for (let i = 0, k = 0; i < bytes; i += gap + (noise[i]! & 7), k++) diff[i] = values[(noise[k]! >> 3) % values.length]!;
  return diff;
}

/** A diff stream of rebuilt code: the changed bytes take near-random values. */
function denseDiff(bytes: number, gap: number): Uint8Array {
  const diff = new Uint8Array(bytes);
  const noise = seededBytes(6, bytes);
  for (let i = 0; i < bytes; i += gap) diff[i] = noise[i]! | 1;
  return diff;
}

describe('stream coding of a delta', () => {
  it('measures the entropy of the changed bytes only', () => {
    expect(nonZeroEntropyBits(new Uint8Array(1000))).toBe(0);
    expect(nonZeroEntropyBits(Uint8Array.from({ length: 1000 }, (_, i) => (i % 2 ? 0 : (i % 4) + 1)))).toBeCloseTo(1, 5);
    // Odd values only: 7 bits.
    expect(nonZeroEntropyBits(denseDiff(400_000, 3))).toBeCloseTo(7, 1);
  });

  it('packs a sparse diff of few values with bzip2 and a dense near-random one with brotli, and both decode exactly', () => {
    const sparse = sparseDiff(400_000, 20, [0x10, 0xf0, 0x08, 0x20]);
    const dense = denseDiff(400_000, 7);
    const packedSparse = packStream(sparse, 'diff');
    const packedDense = packStream(dense, 'diff');
    expect(packedSparse.codec).toBe(STREAM_BZIP2);
    expect(packedDense.codec).toBe(STREAM_BROTLI);
    expect(packedSparse.packed.length).toBeLessThan(sparse.length / 10);
    expect(Buffer.from(unpackStream(packedSparse.codec, packedSparse.packed, sparse.length, 'diff')).equals(sparse)).toBe(true);
    expect(Buffer.from(unpackStream(packedDense.codec, packedDense.packed, dense.length, 'diff')).equals(dense)).toBe(true);
  }, 60_000);

  it('stores what does not shrink and refuses a stream that decodes to another length', () => {
    const random = seededBytes(7, 100_000);
    expect(packStream(random, 'extra').codec).toBe(STREAM_STORED);
    const packed = packStream(sparseDiff(300_000, 30, [1, 2]), 'diff');
    expect(() => unpackStream(packed.codec, packed.packed, 299_999, 'diff')).toThrow(ZucError);
  }, 60_000);
});
