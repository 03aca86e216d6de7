import { sha256Hex } from './byte-source';
import { E, ZucError } from '../../shared/errors';
import type { SigningKey } from './keys';
import { PACKAGE_FORMAT_VERSION } from './limits';
import { parseManifestInput, type ImageEncoding } from './manifest-input';
import type { Manifest, Partition, PayloadEncoding } from './manifest-schema';
import { brotliCompress } from './payload-codec';
import { sealPackage } from './write-container';

export interface PartitionImage {
  name: string;
  image: Uint8Array;
  /** `auto` (default): Brotli when it is smaller than the image. */
  encoding?: ImageEncoding;
}

export interface PackProgress {
  partition: string;
  index: number;
  count: number;
}

export interface PackFullOptions {
  /** Zero keys makes an unsigned package, which only a development verifier accepts. */
  keys: readonly SigningKey[];
  /** The manifest input (docs/package-format.md section 6), as parsed JSON; its `partitions` is ignored here. */
  manifest: unknown;
  images: readonly PartitionImage[];
  onProgress?: (p: PackProgress) => void;
  now?: () => Date;
}

export interface PackResult {
  bytes: Uint8Array;
  manifest: Manifest;
}

/** The payload for a full image: raw, or Brotli when asked for or when it pays. */
export function encodeFullImage(image: Uint8Array, encoding: ImageEncoding = 'auto'): { encoding: PayloadEncoding; payload: Uint8Array } {
  if (encoding === 'raw') return { encoding: 'raw', payload: image };
  const compressed = brotliCompress(image);
  if (encoding === 'auto' && compressed.length >= image.length) return { encoding: 'raw', payload: image };
  return { encoding: 'brotli', payload: compressed };
}

export function packPartitions(
  partitions: readonly { name: string; size: number; sha256: string; encoding: PayloadEncoding; payload: Uint8Array; source?: Partition['source'] }[],
): { partitions: Partition[]; payloads: Uint8Array[] } {
  let offset = 0;
  const out = partitions.map((p): Partition => {
    const entry: Partition = {
      name: p.name,
      size: p.size,
      sha256: p.sha256,
      payload: { encoding: p.encoding, offset, size: p.payload.length, sha256: sha256Hex(p.payload) },
      ...(p.source ? { source: p.source } : {}),
    };
    offset += p.payload.length;
    return entry;
  });
  return { partitions: out, payloads: partitions.map((p) => p.payload) };
}

/** Builds and signs a full package from whole partition images. */
export function packFull(options: PackFullOptions): PackResult {
  const input = parseManifestInput(options.manifest);
  if (options.images.length === 0) throw new ZucError(E.PACKAGE_INPUT_INVALID, 'no image given');
  const encoded = options.images.map((img, index) => {
    options.onProgress?.({ partition: img.name, index, count: options.images.length });
    if (img.image.length === 0) throw new ZucError(E.PACKAGE_INPUT_INVALID, `${img.name}: the image is empty`);
    const { encoding, payload } = encodeFullImage(img.image, img.encoding);
    return { name: img.name, size: img.image.length, sha256: sha256Hex(img.image), encoding, payload };
  });
  const { partitions, payloads } = packPartitions(encoded);
  const manifest: Manifest = {
    formatVersion: PACKAGE_FORMAT_VERSION,
    packageId: input.packageId,
    type: 'full',
    models: input.models,
    hwRevisions: input.hwRevisions,
    version: input.version,
    securityVersion: input.securityVersion,
    createdAt: input.createdAt ?? (options.now ?? (() => new Date()))().toISOString(),
    releaseNotes: input.releaseNotes ?? '',
    partitions,
  };
  return { bytes: sealPackage(manifest, payloads, options.keys), manifest };
}
