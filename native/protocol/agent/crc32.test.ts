import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, tableCrc32 } from './crc32';

describe('crc32', () => {
  it('gives the standard check value for "123456789"', () => {
    const check = new TextEncoder().encode('123456789');
    expect(tableCrc32(check)).toBe(0xcbf43926);
    expect(crc32(check)).toBe(0xcbf43926);
  });

  it('the portable version agrees with zlib on random data, also when continued across a split', () => {
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 2654435761) >>> 24);
    expect(tableCrc32(data)).toBe(zlibCrc32(data));
    expect(tableCrc32(data.subarray(1234), tableCrc32(data.subarray(0, 1234)))).toBe(zlibCrc32(data));
    expect(crc32(data.subarray(1234), crc32(data.subarray(0, 1234)))).toBe(tableCrc32(data));
  });
});
