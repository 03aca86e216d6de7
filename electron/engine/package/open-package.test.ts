import { describe, expect, it } from 'vitest';
import { canonicalJsonBytes } from './canonical-json';
import { sha256Hex } from './byte-source';
import { extractPayload } from './extract-payload';
import { generateKeyPair } from './keys';
import { HEADER_BYTES, MAX_MANIFEST_BYTES } from './limits';
import { openPackage } from './open-package';
import { packFull } from './pack-full';
import { sampleImage, sampleInput, signedSample } from './package-fixtures';
import { signManifest } from './signature-block';
import { assembleContainer } from './write-container';

async function codeOf(input: Uint8Array): Promise<string> {
  try {
    await openPackage(input);
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'opened';
}

const key = generateKeyPair();
const image = sampleImage(4096);
const payload = image;

/** A correctly signed container around any manifest value, to reach the checks behind the signature. */
function signedContainer(manifest: unknown, payloads: Uint8Array[] = [payload]): Uint8Array {
  const bytes = manifest instanceof Uint8Array ? manifest : typeof manifest === 'string' ? new TextEncoder().encode(manifest) : canonicalJsonBytes(manifest);
  return assembleContainer(bytes, signManifest(bytes, [key]), payloads);
}

function rawManifest(overrides: Record<string, unknown> = {}, partition: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    formatVersion: 1,
    packageId: 'mf286d-b04',
    type: 'full',
    models: ['MF286D'],
    hwRevisions: ['A1'],
    version: 'B04',
    securityVersion: 3,
    createdAt: '2026-11-28T15:40:00.000Z',
    releaseNotes: '',
    partitions: [
      { name: 'firmware', size: image.length, sha256: sha256Hex(image), payload: { encoding: 'raw', offset: 0, size: image.length, sha256: sha256Hex(image) }, ...partition },
    ],
    ...overrides,
  };
}

describe('openPackage', () => {
  it('round-trips a signed two-partition package from bytes and from a file', async () => {
    const boot = sampleImage(1000, 7);
    const { bytes, manifest } = packFull({
      keys: [key],
      manifest: sampleInput(),
      images: [
        { name: 'firmware', image, encoding: 'brotli' },
        { name: 'boot', image: boot, encoding: 'raw' },
      ],
    });
    const pkg = await openPackage(bytes);
    expect(pkg.manifest).toEqual(manifest);
    expect(pkg.signatures.map((s) => s.keyId)).toEqual([key.keyId]);
    expect(pkg.manifest.partitions.map((p) => p.payload.encoding)).toEqual(['brotli', 'raw']);
    expect(await extractPayload(pkg, 'firmware')).toEqual(image);
    expect(await extractPayload(pkg, 'boot')).toEqual(boot);

    const fs = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zup-'));
    const file = path.join(dir, 'p.zup');
    await fs.writeFile(file, bytes);
    const fromFile = await openPackage(file);
    expect(await extractPayload(fromFile, 'boot')).toEqual(boot);
    await fs.rm(dir, { recursive: true });
  });

  it('accepts the raw manifest fixture, so the refusals below are caused by what each changes', async () => {
    expect(await codeOf(signedContainer(rawManifest()))).toBe('opened');
  });

  it('refuses a missing file', async () => {
    await expect(openPackage('/nonexistent/p.zup')).rejects.toMatchObject({ code: 'ZUC-5026' });
  });

  it('refuses other files, truncation and trailing bytes, each with its code', async () => {
    const { bytes } = signedSample();
    expect(await codeOf(new TextEncoder().encode('PK\u0003\u0004 a zip file, not a package at all'))).toBe('ZUC-5005');
    expect(await codeOf(bytes.subarray(0, 10))).toBe('ZUC-5007');
    expect(await codeOf(bytes.subarray(0, bytes.length - 1))).toBe('ZUC-5007');
    expect(await codeOf(bytes.subarray(0, HEADER_BYTES + 5))).toBe('ZUC-5007');
    expect(await codeOf(Uint8Array.from([...bytes, 0]))).toBe('ZUC-5008');
  });

  it('refuses another format version, unknown flags and reserved bits', async () => {
    const { bytes } = signedSample();
    const at = (offset: number, value: number): Uint8Array => {
      const copy = bytes.slice();
      copy[offset] = value;
      return copy;
    };
    expect(await codeOf(at(9, 2))).toBe('ZUC-5006');
    expect(await codeOf(at(11, 1))).toBe('ZUC-5006');
    expect(await codeOf(at(31, 1))).toBe('ZUC-5006');
  });

  it('refuses absurd declared sizes before reading them', async () => {
    const { bytes } = signedSample();
    const hugeManifest = bytes.slice();
    new DataView(hugeManifest.buffer).setUint32(12, MAX_MANIFEST_BYTES + 1);
    expect(await codeOf(hugeManifest)).toBe('ZUC-5009');
    const hugePayload = bytes.slice();
    new DataView(hugePayload.buffer).setBigUint64(20, 2n ** 60n);
    expect(await codeOf(hugePayload)).toBe('ZUC-5009');
    const longerThanData = bytes.slice();
    new DataView(longerThanData.buffer).setBigUint64(20, 1n << 30n);
    expect(await codeOf(longerThanData)).toBe('ZUC-5007');
  });

  it('refuses a changed manifest byte as a signature failure, before parsing it', async () => {
    const { bytes } = signedSample();
    const copy = bytes.slice();
    copy[HEADER_BYTES + 20]! ^= 0x01;
    expect(await codeOf(copy)).toBe('ZUC-5003');
  });

  it('refuses a damaged signature block', async () => {
    const { bytes } = signedSample();
    const view = new DataView(bytes.buffer);
    const blockAt = HEADER_BYTES + view.getUint32(12);
    const badAlgorithm = bytes.slice();
    badAlgorithm[blockAt + 4] = 2;
    expect(await codeOf(badAlgorithm)).toBe('ZUC-5013');
    const badSignature = bytes.slice();
    badSignature[blockAt + 4 + 40]! ^= 0x80;
    expect(await codeOf(badSignature)).toBe('ZUC-5003');
  });

  it('refuses a manifest that is not canonical JSON even when signed', async () => {
    expect(await codeOf(signedContainer(JSON.stringify(rawManifest(), null, 1)))).toBe('ZUC-5010');
    expect(await codeOf(signedContainer('{"formatVersion":1,"formatVersion":1}'))).toBe('ZUC-5010');
    expect(await codeOf(signedContainer('not json'))).toBe('ZUC-5010');
    expect(await codeOf(signedContainer(Uint8Array.of(0x7b, 0xff, 0x7d)))).toBe('ZUC-5010');
    expect(await codeOf(signedContainer('['.repeat(200_000) + ']'.repeat(200_000)))).toBe('ZUC-5010');
  });

  it('refuses a signed manifest that does not match the schema', async () => {
    expect(await codeOf(signedContainer(rawManifest({ unexpected: true })))).toBe('ZUC-5011');
    expect(await codeOf(signedContainer(rawManifest({ models: [] })))).toBe('ZUC-5011');
    expect(await codeOf(signedContainer(rawManifest({ securityVersion: -1 })))).toBe('ZUC-5011');
    expect(await codeOf(signedContainer(rawManifest({ type: 'delta' })))).toBe('ZUC-5011');
    expect(await codeOf(signedContainer(rawManifest({}, { size: 1.5 })))).toBe('ZUC-5011');
  });

  it('refuses absurd partition sizes in a signed manifest with the size code', async () => {
    expect(await codeOf(signedContainer(rawManifest({}, { size: 2 ** 40 })))).toBe('ZUC-5009');
    const hugePayload = { encoding: 'raw', offset: 0, size: 2 ** 53, sha256: sha256Hex(image) };
    expect(await codeOf(signedContainer(rawManifest({}, { payload: hugePayload })))).toBe('ZUC-5009');
  });

  it('refuses path-like names with their own code', async () => {
    expect(await codeOf(signedContainer(rawManifest({}, { name: '../../etc/passwd' })))).toBe('ZUC-5012');
    expect(await codeOf(signedContainer(rawManifest({}, { name: '/dev/mmcblk0' })))).toBe('ZUC-5012');
    expect(await codeOf(signedContainer(rawManifest({}, { name: 'C:boot' })))).toBe('ZUC-5012');
    expect(await codeOf(signedContainer(rawManifest({ packageId: '..\\..\\evil' })))).toBe('ZUC-5012');
  });

  it('refuses payload offsets that overlap or disagree with the header', async () => {
    const gap = rawManifest({}, { payload: { encoding: 'raw', offset: 1, size: image.length, sha256: sha256Hex(image) } });
    expect(await codeOf(signedContainer(gap))).toBe('ZUC-5022');
    expect(await codeOf(signedContainer(rawManifest(), [payload, Uint8Array.of(1)]))).toBe('ZUC-5022');
  });
});
