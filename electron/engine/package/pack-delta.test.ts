import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDelta } from '../delta';
import { sha256Hex } from './byte-source';
import { extractPayload } from './extract-payload';
import { generateKeyPair } from './keys';
import type { Manifest } from './manifest-schema';
import { openPackage, type OpenedPackage } from './open-package';
import { packDelta } from './pack-delta';
import { packFull } from './pack-full';
import { sampleInput } from './package-fixtures';
import { trustStoreOf } from './trust-store';
import { verifyPackage } from './verify-package';
import { sealPackage } from './write-container';

const key = generateKeyPair();

/** A firmware build and its successor: mostly the same bytes, some patched, some inserted. */
function firmwarePair(size: number): { oldImage: Uint8Array; newImage: Uint8Array } {
  const oldImage = new Uint8Array(randomBytes(size));
  const newImage = new Uint8Array(size + 300);
  newImage.set(oldImage.subarray(0, size / 2), 0);
  newImage.set(randomBytes(300), size / 2);
  newImage.set(oldImage.subarray(size / 2), size / 2 + 300);
  for (let i = 100; i < newImage.length; i += 4099) newImage[i] = newImage[i]! ^ 0x5a;
  return { oldImage, newImage };
}

async function fullPackage(version: string, images: Record<string, Uint8Array>): Promise<OpenedPackage> {
  const { bytes } = packFull({
    keys: [key],
    manifest: sampleInput({ packageId: `mf286d-${version.toLowerCase()}`, version }),
    images: Object.entries(images).map(([name, image]) => ({ name, image })),
  });
  return openPackage(bytes);
}

describe('packDelta', () => {
  it('builds a delta package that rebuilds the new image from the old one, and only from it', async () => {
    const { oldImage, newImage } = firmwarePair(256 * 1024);
    const oldPkg = await fullPackage('B03', { firmware: oldImage });
    const newPkg = await fullPackage('B04', { firmware: newImage });
    const progress: number[] = [];
    const { bytes, manifest, decisions } = await packDelta(oldPkg, newPkg, { keys: [key], onProgress: (p) => progress.push(p.fraction) });
    expect(decisions).toMatchObject([{ partition: 'firmware', encoding: 'delta' }]);
    expect(manifest).toMatchObject({ type: 'delta', baseVersion: 'B03', version: 'B04', packageId: 'mf286d-b04-from-B03' });
    expect(bytes.length).toBeLessThan(newPkg.source.size / 10);
    expect(progress.at(-1)).toBe(1);

    const pkg = await openPackage(bytes);
    const terminal = { model: 'MF286D', hwRevision: 'A1', sourceSha256: sha256Hex(oldImage) };
    expect((await verifyPackage(pkg, { trustStore: trustStoreOf([key.publicKey]), target: terminal })).ok).toBe(true);
    expect(await extractPayload(pkg, 'firmware', { sourceImage: oldImage })).toEqual(newImage);
    await expect(extractPayload(pkg, 'firmware', { sourceImage: newImage })).rejects.toMatchObject({ code: 'ZUC-5019' });
    await expect(extractPayload(pkg, 'firmware')).rejects.toMatchObject({ code: 'ZUC-5020' });

    const flipped = bytes.slice();
    flipped[flipped.length - 20]! ^= 0x01;
    await expect(extractPayload(await openPackage(flipped), 'firmware', { sourceImage: oldImage })).rejects.toMatchObject({ code: 'ZUC-5014' });
  });

  it('refuses to pretend: unrelated images make a full package, and the packer says why', async () => {
    const oldPkg = await fullPackage('B03', { firmware: new Uint8Array(randomBytes(64 * 1024)) });
    const newImage = new Uint8Array(randomBytes(64 * 1024));
    const newPkg = await fullPackage('B04', { firmware: newImage });
    const { bytes, manifest, decisions } = await packDelta(oldPkg, newPkg, { keys: [key] });
    expect(manifest.type).toBe('full');
    expect(manifest.baseVersion).toBeUndefined();
    expect(decisions[0]!.encoding).not.toBe('delta');
    expect(decisions[0]!.reason).toMatch(/not below 90%/);
    expect(await extractPayload(await openPackage(bytes))).toEqual(newImage);
  });

  it('mixes delta and full partitions, and refuses packages for other models', async () => {
    const { oldImage, newImage } = firmwarePair(128 * 1024);
    const modem = new Uint8Array(randomBytes(32 * 1024));
    const oldPkg = await fullPackage('B03', { firmware: oldImage });
    const newPkg = await fullPackage('B04', { firmware: newImage, modem });
    const { bytes, decisions } = await packDelta(oldPkg, newPkg, { keys: [key] });
    expect(decisions.map((d) => d.encoding)).toEqual(['delta', 'raw']);
    const pkg = await openPackage(bytes);
    expect(await extractPayload(pkg, 'modem')).toEqual(modem);
    expect(await extractPayload(pkg, 'firmware', { sourceImage: oldImage })).toEqual(newImage);

    const other = await openPackage(packFull({ keys: [key], manifest: sampleInput({ models: ['MF971'] }), images: [{ name: 'firmware', image: newImage }] }).bytes);
    await expect(packDelta(oldPkg, other, { keys: [key] })).rejects.toMatchObject({ code: 'ZUC-5027' });
  });

  it('refuses a delta payload whose patch names other images than its signed manifest', async () => {
    const { oldImage, newImage } = firmwarePair(64 * 1024);
    const patch = createDelta(oldImage, newImage);
    const lie = sha256Hex(new Uint8Array(newImage.length));
    const manifest: Manifest = {
      formatVersion: 1,
      packageId: 'lie',
      type: 'delta',
      models: ['MF286D'],
      hwRevisions: ['A1'],
      version: 'B04',
      baseVersion: 'B03',
      securityVersion: 1,
      createdAt: '2026-11-28T15:40:00.000Z',
      releaseNotes: '',
      partitions: [
        {
          name: 'firmware',
          size: newImage.length,
          sha256: lie,
          payload: { encoding: 'delta', offset: 0, size: patch.length, sha256: sha256Hex(patch) },
          source: { size: oldImage.length, sha256: sha256Hex(oldImage) },
        },
      ],
    };
    const pkg = await openPackage(sealPackage(manifest, [patch], [key]));
    await expect(extractPayload(pkg, 'firmware', { sourceImage: oldImage })).rejects.toMatchObject({ code: 'ZUC-5028' });
  });
});
