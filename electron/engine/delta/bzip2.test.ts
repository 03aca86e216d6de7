import { execFileSync } from 'node:child_process';
import { describe, it, expect } from 'vitest';
import { ZucError } from '../../shared/errors';
import { bunzip2 } from './bzip2-decode';
import { bzip2 } from './bzip2-encode';
import { firmwareImage, seededBytes } from './firmware-fixtures';

const samples: Array<[string, Uint8Array]> = [
  ['empty', new Uint8Array(0)],
  ['one byte', Uint8Array.of(0x42)],
  ['long run', new Uint8Array(70_000).fill(0)],
  ['runs of every length', Uint8Array.from({ length: 40_000 }, (_, i) => Math.floor(Math.sqrt(i)) & 0xff)],
  ['random', seededBytes(41, 50_000)],
  // More than one 900 kB block.
  ['firmware spanning blocks', firmwareImage(42, 2_100_000)],
];

describe('bzip2 codec (for BSDIFF40)', () => {
  it('writes streams that the bzip2 tool decompresses exactly', () => {
    for (const [name, data] of samples) {
      const out = execFileSync('bzip2', ['-dc'], { input: bzip2(data), maxBuffer: 1 << 28 });
      expect(Buffer.from(out).equals(Buffer.from(data)), name).toBe(true);
    }
  }, 120_000);

  it('reads streams written by the bzip2 tool', () => {
    for (const [name, data] of samples) {
      const packed = execFileSync('bzip2', ['-9c'], { input: data, maxBuffer: 1 << 28 });
      expect(Buffer.from(bunzip2(packed, data.length)).equals(Buffer.from(data)), name).toBe(true);
    }
  }, 120_000);

  it('writes block sizes 1 to 9 (100 to 900 kB) that the bzip2 tool decompresses, and refuses others', () => {
    const data = firmwareImage(43, 450_000);
    for (const level of [1, 5, 9]) {
      const packed = bzip2(data, level);
      expect(String.fromCharCode(...packed.subarray(0, 4))).toBe(`BZh${level}`);
      const out = execFileSync('bzip2', ['-dc'], { input: packed, maxBuffer: 1 << 28 });
      expect(Buffer.from(out).equals(Buffer.from(data)), `level ${level}`).toBe(true);
      expect(Buffer.from(bunzip2(packed, data.length, data.length)).equals(Buffer.from(data)), `level ${level}`).toBe(true);
    }
    expect(() => bzip2(data, 0)).toThrow(RangeError);
    expect(() => bzip2(data, 10)).toThrow(RangeError);
  }, 120_000);

  it('without CRC checks (zdelta frames carry their own) still decodes exactly and still refuses a broken structure', () => {
    const data = firmwareImage(44, 300_000);
    const packed = bzip2(data, 1);
    expect(Buffer.from(bunzip2(packed, data.length, data.length, false)).equals(Buffer.from(data))).toBe(true);
    expect(() => bunzip2(packed.subarray(0, packed.length >> 1), data.length, data.length, false)).toThrow(ZucError);
    expect(() => bunzip2(packed, data.length - 1, data.length, false)).toThrow(ZucError);
  }, 120_000);

  it('refuses a stream that expands beyond the allowed size, or is damaged', () => {
    const packed = bzip2(new Uint8Array(100_000).fill(7));
    expect(() => bunzip2(packed, 99_999)).toThrow(ZucError);
    const damaged = packed.slice();
    damaged[20] = damaged[20]! ^ 0x01;
    expect(() => bunzip2(damaged, 100_000)).toThrow(ZucError);
    expect(() => bunzip2(packed.subarray(0, packed.length - 3), 100_000)).toThrow(ZucError);
  }, 120_000);
});
