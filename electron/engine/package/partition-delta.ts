import { applyDelta, readDeltaHeader } from '../delta';
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

function corrupt(partition: Partition, detail: string, cause?: unknown): ZucError {
  return new ZucError(E.PACKAGE_DELTA_CORRUPT, `${partition.name}: ${detail}`, { cause });
}

/**
 * The target image rebuilt from a delta payload and its checked source image.
 * Only zdelta patches are accepted inside packages: their header names the
 * source and target, and must agree with the signed manifest before the
 * codec allocates the target.
 */
export function applyPartitionDelta(partition: Partition, patch: Uint8Array, sourceImage: Uint8Array | undefined): Uint8Array {
  const source = checkDeltaSource(partition, sourceImage);
  let header: ReturnType<typeof readDeltaHeader>;
  try {
    header = readDeltaHeader(patch);
  } catch (err) {
    throw corrupt(partition, `not a delta (${ZucError.from(err).message})`, err);
  }
  if (header.format !== 'zdelta') throw corrupt(partition, `a ${header.format} patch; packages carry zdelta patches only`);
  if (header.newSize !== partition.size || header.newSha256 !== partition.sha256 || header.oldSha256 !== partition.source?.sha256) {
    throw corrupt(partition, 'the patch header names other images than the manifest');
  }
  try {
    return applyDelta(source, patch);
  } catch (err) {
    const e = ZucError.from(err);
    throw corrupt(partition, `${e.code} ${e.message}`, err);
  }
}
