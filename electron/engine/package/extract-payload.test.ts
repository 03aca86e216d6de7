import { describe, expect, it } from 'vitest';
import { sha256Hex } from './byte-source';
import { extractPayload } from './extract-payload';
import { generateKeyPair } from './keys';
import { PACKAGE_FORMAT_VERSION } from './limits';
import type { Manifest, Partition } from './manifest-schema';
import { openPackage } from './open-package';
import { sampleImage, signedSample } from './package-fixtures';
import { brotliCompress } from './payload-codec';
import { sealPackage } from './write-container';

const key = generateKeyPair();

function manifestWith(partition: Partition, extra: Partial<Manifest> = {}): Manifest {
  return {
    formatVersion: PACKAGE_FORMAT_VERSION,
    packageId: 'p',
    type: 'full',
    models: ['MF286D'],
    hwRevisions: ['A1'],
    version: 'B04',
    securityVersion: 1,
    createdAt: '2026-11-28T15:40:00.000Z',
    releaseNotes: '',
    partitions: [partition],
    ...extra,
  };
}

describe('extractPayload', () => {
  it('returns the image of the first partition by default and refuses unknown names', async () => {
    const { bytes, image } = signedSample();
    const pkg = await openPackage(bytes);
    expect(await extractPayload(pkg)).toEqual(image);
    await expect(extractPayload(pkg, 'modem')).rejects.toMatchObject({ code: 'ZUC-5021' });
  });

  it('stops a Brotli payload that inflates past its signed size (no decompression bomb)', async () => {
    const big = new Uint8Array(8 * 1024 * 1024);
    const payload = brotliCompress(big);
    const partition: Partition = {
      name: 'firmware',
      size: 1024,
      sha256: sha256Hex(big.subarray(0, 1024)),
      payload: { encoding: 'brotli', offset: 0, size: payload.length, sha256: sha256Hex(payload) },
    };
    const pkg = await openPackage(sealPackage(manifestWith(partition), [payload], [key]));
    await expect(extractPayload(pkg)).rejects.toMatchObject({ code: 'ZUC-5015' });
  });

  it('refuses a decoded image whose hash is not the signed one', async () => {
    const image = sampleImage(2000);
    const payload = brotliCompress(image);
    const partition: Partition = {
      name: 'firmware',
      size: image.length,
      sha256: sha256Hex(sampleImage(2000, 9)),
      payload: { encoding: 'brotli', offset: 0, size: payload.length, sha256: sha256Hex(payload) },
    };
    const pkg = await openPackage(sealPackage(manifestWith(partition), [payload], [key]));
    await expect(extractPayload(pkg)).rejects.toMatchObject({ code: 'ZUC-5015' });
  });

  it('asks for the source image of a delta, and refuses one that is not the delta source', async () => {
    const source = sampleImage(700, 2);
    const patch = sampleImage(50, 3);
    const partition: Partition = {
      name: 'firmware',
      size: 800,
      sha256: sha256Hex(sampleImage(800, 4)),
      payload: { encoding: 'delta', offset: 0, size: patch.length, sha256: sha256Hex(patch) },
      source: { size: source.length, sha256: sha256Hex(source) },
    };
    const pkg = await openPackage(sealPackage(manifestWith(partition, { type: 'delta', baseVersion: 'B03' }), [patch], [key]));
    await expect(extractPayload(pkg)).rejects.toMatchObject({ code: 'ZUC-5020' });
    await expect(extractPayload(pkg, 'firmware', { sourceImage: sampleImage(700, 5) })).rejects.toMatchObject({ code: 'ZUC-5019' });
    await expect(extractPayload(pkg, 'firmware', { sourceImage: source.subarray(1) })).rejects.toMatchObject({ code: 'ZUC-5019' });
  });
});
