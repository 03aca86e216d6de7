import { E, ZucError } from '../../shared/errors';
import { sha256Hex } from './byte-source';
import { findPartition, type OpenedPackage } from './open-package';
import { brotliDecompress } from './payload-codec';
import type { Partition } from './manifest-schema';
import { applyPartitionDelta } from './partition-delta';

export interface ExtractOptions {
  /** The image a delta partition applies to (the terminal's current image). */
  sourceImage?: Uint8Array;
}

/** The payload bytes as stored, checked against the signed payload hash. */
export async function readPayload(pkg: OpenedPackage, partition: Partition): Promise<Uint8Array> {
  const bytes = await pkg.source.read(pkg.payloadAreaOffset + partition.payload.offset, partition.payload.size);
  const actual = sha256Hex(bytes);
  if (actual !== partition.payload.sha256) {
    throw new ZucError(E.PACKAGE_PAYLOAD_CORRUPT, `${partition.name}: payload SHA-256 ${actual}, the manifest declares ${partition.payload.sha256}`);
  }
  return bytes;
}

function decode(partition: Partition, payload: Uint8Array, options: ExtractOptions): Uint8Array {
  switch (partition.payload.encoding) {
    case 'raw':
      return payload;
    case 'brotli':
      try {
        return brotliDecompress(payload, partition.size);
      } catch (err) {
        throw new ZucError(E.PACKAGE_IMAGE_CORRUPT, `${partition.name}: Brotli payload does not decode to ${partition.size} bytes (${(err as Error).message})`);
      }
    case 'delta':
      return applyPartitionDelta(partition, payload, options.sourceImage);
  }
}

/**
 * The target image of one partition (the first when `name` is omitted):
 * payload hash checked, decoded (decompressed, or the delta applied to
 * `sourceImage`), then the image's size and hash checked.
 */
export async function extractPayload(pkg: OpenedPackage, name?: string, options: ExtractOptions = {}): Promise<Uint8Array> {
  const partition = findPartition(pkg, name);
  const image = decode(partition, await readPayload(pkg, partition), options);
  if (image.length !== partition.size) throw new ZucError(E.PACKAGE_IMAGE_CORRUPT, `${partition.name}: decoded ${image.length} bytes, the manifest declares ${partition.size}`);
  const actual = sha256Hex(image);
  if (actual !== partition.sha256) throw new ZucError(E.PACKAGE_IMAGE_CORRUPT, `${partition.name}: decoded image SHA-256 ${actual}, the manifest declares ${partition.sha256}`);
  return image;
}
