import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Combine, crc32Suffix, tableCrc32 } from './crc32';

const randomBytes = (length: number, seed: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (Math.imul(i + seed, 2654435761) >>> 24) & 0xff);

describe('crc32', () => {
  it('gives the standard check value for "123456789"', () => {
    const check = new TextEncoder().encode('123456789');
    expect(tableCrc32(check)).toBe(0xcbf43926);
    expect(crc32(check)).toBe(0xcbf43926);
  });

  it('the portable (slicing-by-8) version agrees with zlib at every length and alignment, also continued across a split', () => {
    const data = randomBytes(5000, 7);
    expect(tableCrc32(data)).toBe(zlibCrc32(data));
    for (let start = 0; start < 9; start++) for (let length = 0; length < 40; length++) expect(tableCrc32(data.subarray(start, start + length))).toBe(zlibCrc32(data.subarray(start, start + length)));
    expect(tableCrc32(data.subarray(1234), tableCrc32(data.subarray(0, 1234)))).toBe(zlibCrc32(data));
    expect(crc32(data.subarray(1234), crc32(data.subarray(0, 1234)))).toBe(tableCrc32(data));
    expect(crc32(data.subarray(0, 10))).toBe(zlibCrc32(data.subarray(0, 10)));
  });

  it('combines the CRCs of two parts into the CRC of both, and takes a prefix out again, without the bytes', () => {
    const data = randomBytes(70_000, 3);
    for (const split of [0, 1, 19, 4096, 61_440, 69_999, 70_000]) {
      const a = data.subarray(0, split);
      const b = data.subarray(split);
      expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(zlibCrc32(data));
      expect(crc32Suffix(zlibCrc32(data), crc32(a), b.length)).toBe(crc32(b));
    }
    // A corrupted suffix no longer matches: the derived CRC is the real CRC of the bytes.
    const flipped = data.slice();
    flipped[50_000] = flipped[50_000]! ^ 1;
    expect(crc32Suffix(zlibCrc32(flipped), crc32(data.subarray(0, 19)), data.length - 19)).not.toBe(crc32(data.subarray(19)));
  });
});
