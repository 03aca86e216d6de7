import { describe, expect, it } from 'vitest';
import { englishLogText } from '../../shared/job-log';
import { sha256Hex } from './byte-source';
import { generateKeyPair } from './keys';
import { openPackage } from './open-package';
import { packFull } from './pack-full';
import { sampleImage, sampleInput, signedSample } from './package-fixtures';
import { PACKAGE_FORMAT_VERSION } from './limits';
import type { Manifest } from './manifest-schema';
import { trustStoreOf } from './trust-store';
import { verifyPackage } from './verify-package';
import { sealPackage } from './write-container';

const codes = (v: { problems: { code: string }[] }): string[] => v.problems.map((p) => p.code);

describe('verifyPackage', () => {
  it('accepts a package signed by a trusted key', async () => {
    const { key, bytes } = signedSample();
    const verdict = await verifyPackage(await openPackage(bytes), { trustStore: trustStoreOf([key.publicKey]) });
    expect(verdict).toMatchObject({ ok: true, trusted: true, signers: [{ keyId: key.keyId, status: 'trusted' }], problems: [], warnings: [] });
  });

  it('accepts a package signed by an old and a new key when only one of them is trusted (key rotation)', async () => {
    const oldKey = generateKeyPair();
    const newKey = generateKeyPair();
    const { bytes } = packFull({ keys: [oldKey, newKey], manifest: sampleInput(), images: [{ name: 'firmware', image: sampleImage(1024) }] });
    const pkg = await openPackage(bytes);
    expect(pkg.signatures.map((s) => s.keyId)).toEqual([oldKey.keyId, newKey.keyId]);
    for (const trusted of [oldKey, newKey]) {
      const verdict = await verifyPackage(pkg, { trustStore: trustStoreOf([trusted.publicKey]) });
      expect(verdict.ok).toBe(true);
      expect(verdict.signers.find((s) => s.status === 'trusted')?.keyId).toBe(trusted.keyId);
    }
    const oldRevoked = await verifyPackage(pkg, { trustStore: trustStoreOf([oldKey.publicKey, newKey.publicKey], [oldKey.keyId]) });
    expect(oldRevoked.ok).toBe(true);
    expect(oldRevoked.signers.map((s) => s.status)).toEqual(['revoked', 'trusted']);
  });

  it('refuses unknown, revoked and missing signers with their codes', async () => {
    const { key, bytes } = signedSample();
    const pkg = await openPackage(bytes);
    expect(codes(await verifyPackage(pkg, { trustStore: trustStoreOf([generateKeyPair().publicKey]) }))).toEqual(['ZUC-5002']);
    expect(codes(await verifyPackage(pkg, { trustStore: trustStoreOf([key.publicKey], [key.keyId]) }))).toEqual(['ZUC-5004']);
    const unsigned = packFull({ keys: [], manifest: sampleInput(), images: [{ name: 'firmware', image: sampleImage(512) }] });
    const verdict = await verifyPackage(await openPackage(unsigned.bytes), { trustStore: trustStoreOf([key.publicKey]) });
    expect(codes(verdict)).toEqual(['ZUC-5001']);
  });

  it('accepts unsigned and untrusted packages in development mode, loudly, but never a revoked signer', async () => {
    const { key, bytes } = signedSample();
    const untrusted = await verifyPackage(await openPackage(bytes), { trustStore: trustStoreOf([]), allowUnsigned: true });
    expect(untrusted).toMatchObject({ ok: true, trusted: false });
    expect(untrusted.warnings).toEqual([{ id: 'dev-untrusted-key', args: { keyIds: [key.keyId] } }]);
    expect(englishLogText(untrusted.warnings[0]!)).toBe(`DEVELOPMENT MODE: accepting a package signed only by untrusted key ${key.keyId}`);
    const unsigned = packFull({ keys: [], manifest: sampleInput(), images: [{ name: 'firmware', image: sampleImage(512) }] });
    const dev = await verifyPackage(await openPackage(unsigned.bytes), { trustStore: trustStoreOf([]), allowUnsigned: true });
    expect(dev.ok).toBe(true);
    expect(dev.warnings.map(englishLogText)).toEqual(['DEVELOPMENT MODE: accepting an UNSIGNED package; its origin is unknown']);
    const revoked = await verifyPackage(await openPackage(bytes), { trustStore: trustStoreOf([], [key.keyId]), allowUnsigned: true });
    expect(codes(revoked)).toEqual(['ZUC-5004']);
  });

  it('refuses a changed payload byte by its hash', async () => {
    const { key, bytes } = signedSample();
    const copy = bytes.slice();
    copy[copy.length - 3]! ^= 0x04;
    const verdict = await verifyPackage(await openPackage(copy), { trustStore: trustStoreOf([key.publicKey]) });
    expect(codes(verdict)).toEqual(['ZUC-5014']);
  });

  it('checks the terminal: model, hardware revision, anti-rollback', async () => {
    const { key, bytes } = signedSample();
    const pkg = await openPackage(bytes);
    const trustStore = trustStoreOf([key.publicKey]);
    const ok = await verifyPackage(pkg, { trustStore, target: { model: 'MF286D', hwRevision: 'A2', securityVersion: 3 } });
    expect(ok.ok).toBe(true);
    expect(codes(await verifyPackage(pkg, { trustStore, target: { model: 'MF971', hwRevision: 'A1' } }))).toEqual(['ZUC-5016']);
    expect(codes(await verifyPackage(pkg, { trustStore, target: { model: 'MF286D', hwRevision: 'B1' } }))).toEqual(['ZUC-5017']);
    expect(codes(await verifyPackage(pkg, { trustStore, target: { model: 'MF286D', hwRevision: 'A1', securityVersion: 4 } }))).toEqual(['ZUC-5018']);
  });

  it('accepts any hardware revision of the listed models when the package says "*"', async () => {
    const key = generateKeyPair();
    const { bytes } = packFull({ keys: [key], manifest: sampleInput({ hwRevisions: ['*'] }), images: [{ name: 'firmware', image: sampleImage(256) }] });
    const verdict = await verifyPackage(await openPackage(bytes), { trustStore: trustStoreOf([key.publicKey]), target: { model: 'MF286D', hwRevision: 'Z9' } });
    expect(verdict.ok).toBe(true);
  });

  it('refuses a delta made from another image than the terminal runs', async () => {
    const key = generateKeyPair();
    const source = sampleImage(900, 3);
    const target = sampleImage(1000, 4);
    const patch = sampleImage(100, 5);
    const manifest: Manifest = {
      formatVersion: PACKAGE_FORMAT_VERSION,
      packageId: 'mf286d-b03-to-b04',
      type: 'delta',
      models: ['MF286D'],
      hwRevisions: ['A1'],
      version: 'B04',
      baseVersion: 'B03',
      securityVersion: 3,
      createdAt: '2026-11-28T15:40:00.000Z',
      releaseNotes: '',
      partitions: [
        {
          name: 'firmware',
          size: target.length,
          sha256: sha256Hex(target),
          payload: { encoding: 'delta', offset: 0, size: patch.length, sha256: sha256Hex(patch) },
          source: { size: source.length, sha256: sha256Hex(source) },
        },
      ],
    };
    const pkg = await openPackage(sealPackage(manifest, [patch], [key]));
    const trustStore = trustStoreOf([key.publicKey]);
    const terminal = { model: 'MF286D', hwRevision: 'A1' };
    expect((await verifyPackage(pkg, { trustStore, target: { ...terminal, sourceSha256: sha256Hex(source) } })).ok).toBe(true);
    expect(codes(await verifyPackage(pkg, { trustStore, target: { ...terminal, sourceSha256: sha256Hex(target) } }))).toEqual(['ZUC-5019']);
    expect(codes(await verifyPackage(pkg, { trustStore, target: { ...terminal, currentVersion: 'B02' } }))).toEqual(['ZUC-5019']);
  });
});
