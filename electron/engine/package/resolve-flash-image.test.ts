import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { looksLikePackage } from './container-header';
import { generateKeyPair } from './keys';
import { packFull } from './pack-full';
import { sampleImage, sampleInput, signedSample } from './package-fixtures';
import { resolveFlashImage } from './resolve-flash-image';
import { trustStoreOf } from './trust-store';

const terminal = { model: 'MF286D', hwRevision: 'A1', securityVersion: 2 };

describe('resolveFlashImage', () => {
  it('returns the checked image, version and model of a trusted package on disk', async () => {
    const { key, bytes, image } = signedSample(4096);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zuc-flash-'));
    const file = path.join(dir, 'p.zup');
    await fs.writeFile(file, bytes);
    const resolved = await resolveFlashImage(file, { trustStore: trustStoreOf([key.publicKey]), target: terminal });
    expect(resolved).toMatchObject({ version: 'B04', model: 'MF286D', securityVersion: 3, partition: 'firmware', warnings: [] });
    expect(resolved.image).toEqual(image);
    await fs.rm(dir, { recursive: true });
  });

  it('throws the catalogued refusal: untrusted, wrong terminal, downgrade', async () => {
    const { key, bytes } = signedSample(1024);
    const trustStore = trustStoreOf([key.publicKey]);
    await expect(resolveFlashImage(bytes, { trustStore: trustStoreOf([]), target: terminal })).rejects.toMatchObject({ code: 'ZUC-5002' });
    await expect(resolveFlashImage(bytes, { trustStore, target: { ...terminal, model: 'MF971' } })).rejects.toMatchObject({ code: 'ZUC-5016' });
    await expect(resolveFlashImage(bytes, { trustStore, target: { ...terminal, securityVersion: 9 } })).rejects.toMatchObject({ code: 'ZUC-5018' });
    await expect(resolveFlashImage(bytes, { trustStore, target: terminal, partition: 'modem' })).rejects.toMatchObject({ code: 'ZUC-5021' });
  });

  it('tells packages from plain images by their first bytes', async () => {
    expect(looksLikePackage(signedSample(256).bytes)).toBe(true);
    expect(looksLikePackage(sampleImage(256))).toBe(false);
    expect(looksLikePackage(new Uint8Array(3))).toBe(false);
  });

  it('passes development warnings on to the caller', async () => {
    const image = sampleImage(512);
    const { bytes } = packFull({ keys: [], manifest: sampleInput(), images: [{ name: 'firmware', image }] });
    const resolved = await resolveFlashImage(bytes, { trustStore: trustStoreOf([generateKeyPair().publicKey]), target: terminal, allowUnsigned: true });
    expect(resolved.image).toEqual(image);
    expect(resolved.warnings).toEqual([{ id: 'dev-unsigned', args: {} }]);
  });
});
