import { E, ZucError } from '../../shared/errors';
import { sha256Hex } from './byte-source';
import type { Partition } from './manifest-schema';

/** Refuses a source image that is not the one the delta was made from, before the codec sees a byte. */
export function checkDeltaSource(partition: Partition, sourceImage: Uint8Array | undefined): Uint8Array {
  const source = partition.source;
  if (!source) throw new ZucError(E.PACKAGE_MANIFEST_INVALID, `${partition.name}: a delta payload without its source`);
  if (!sourceImage) throw new ZucError(E.PACKAGE_DELTA_SOURCE_MISSING, `${partition.name}: the delta applies to an image of ${source.size} bytes with SHA-256 ${source.sha256}`);
  if (sourceImage.length !== source.size) {
    throw new ZucError(E.PACKAGE_DELTA_SOURCE_MISMATCH, `${partition.name}: the given image has ${sourceImage.length} bytes, the delta's source has ${source.size}`);
  }
  const actual = sha256Hex(sourceImage);
  if (actual !== source.sha256) throw new ZucError(E.PACKAGE_DELTA_SOURCE_MISMATCH, `${partition.name}: the given image has SHA-256 ${actual}, the delta's source has ${source.sha256}`);
  return sourceImage;
}

/** The target image rebuilt from a delta payload and its checked source image. */
export function applyPartitionDelta(partition: Partition, patch: Uint8Array, sourceImage: Uint8Array | undefined): Uint8Array {
  checkDeltaSource(partition, sourceImage);
  throw new ZucError(E.PACKAGE_DELTA_CORRUPT, `${partition.name}: ${patch.length}-byte delta, but this build has no delta codec yet`);
}
