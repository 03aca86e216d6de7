import { describe, expect, it } from 'vitest';
import { assignImages, parseManifestInput } from './manifest-input';
import { sampleInput } from './package-fixtures';

const base = parseManifestInput(sampleInput());

describe('assignImages', () => {
  it('names partitions after their files when the input lists none', () => {
    expect(assignImages(base, ['out/Firmware.bin', 'modem=out/nv.img'])).toEqual([
      { name: 'firmware', path: 'out/Firmware.bin', encoding: 'auto' },
      { name: 'modem', path: 'out/nv.img', encoding: 'auto' },
    ]);
  });

  it('fills the listed partitions: named images by name, plain paths in order', () => {
    const input = parseManifestInput(sampleInput({ partitions: [{ name: 'boot', encoding: 'raw' }, { name: 'system' }] }));
    expect(assignImages(input, ['system=s.img', 'b.img'])).toEqual([
      { name: 'boot', path: 'b.img', encoding: 'raw' },
      { name: 'system', path: 's.img', encoding: 'auto' },
    ]);
  });

  it('refuses missing, surplus, unknown and unnameable images', () => {
    const input = parseManifestInput(sampleInput({ partitions: [{ name: 'boot' }, { name: 'system' }] }));
    for (const args of [[], ['a.img'], ['a.img', 'b.img', 'c.img'], ['boot=a.img', 'modem=b.img']]) {
      expect(() => assignImages(input, args), args.join(' ')).toThrow(expect.objectContaining({ code: 'ZUC-5025' }));
    }
    expect(() => assignImages(base, ['../../.hidden'])).toThrow(expect.objectContaining({ code: 'ZUC-5025' }));
  });

  it('refuses a manifest input with unknown fields', () => {
    expect(() => parseManifestInput(sampleInput({ signature: 'x' }))).toThrow(expect.objectContaining({ code: 'ZUC-5025' }));
  });
});
