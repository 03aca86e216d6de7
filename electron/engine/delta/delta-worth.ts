import { brotliCompressSync, constants } from 'node:zlib';
import { E, ZucError } from '../../shared/errors';
import { sha256Hex } from './create-delta';
import { readDeltaHeader } from './delta-header';

/** A delta must be below this share of the compressed full image to be worth its risk (a base that must match exactly). */
export const DELTA_WORTH_RATIO = 0.9;

export interface DeltaVerdict {
  useDelta: boolean;
  patchBytes: number;
  /** Size of the new image compressed on its own, the alternative to the delta. */
  fullCompressedBytes: number;
  /** patchBytes / fullCompressedBytes. */
  ratio: number;
  /** One sentence for the packer's output and the manifest's notes. */
  reason: string;
}

export interface DeltaWorthOptions {
  /** The full payload's compressed size when the packer already knows it; otherwise brotli (quality 9, 16 MiB window) measures it. */
  fullCompressedBytes?: number;
  /** Defaults to DELTA_WORTH_RATIO. */
  maxRatio?: number;
}

function compressedSize(image: Uint8Array): number {
  return brotliCompressSync(image, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 9,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: image.length,
    },
  }).length;
}

/**
 * Whether shipping `patch` beats shipping `newImage` compressed. A delta of
 * a compressed or unrelated image is no smaller than the image itself; then
 * the packer should ship the full image and say why. Also checks that the
 * patch really goes from `oldImage` to `newImage` (DELTA_SOURCE_MISMATCH /
 * DELTA_TARGET_MISMATCH otherwise; BSDIFF40 records no hashes).
 */
export function shouldUseDelta(oldImage: Uint8Array, newImage: Uint8Array, patch: Uint8Array, options: DeltaWorthOptions = {}): DeltaVerdict {
  const header = readDeltaHeader(patch);
  if (header.format === 'zdelta') {
    if (header.oldSize !== oldImage.length || header.oldSha256 !== sha256Hex(oldImage)) {
      throw new ZucError(E.DELTA_SOURCE_MISMATCH, 'the patch was not made from this old image');
    }
    if (header.newSize !== newImage.length || header.newSha256 !== sha256Hex(newImage)) {
      throw new ZucError(E.DELTA_TARGET_MISMATCH, 'the patch does not produce this new image');
    }
  }
  const maxRatio = options.maxRatio ?? DELTA_WORTH_RATIO;
  const fullCompressedBytes = options.fullCompressedBytes ?? compressedSize(newImage);
  const ratio = patch.length / Math.max(1, fullCompressedBytes);
  const percent = (ratio * 100).toFixed(1);
  const useDelta = ratio < maxRatio;
  const reason = useDelta
    ? `the delta (${patch.length} bytes) is ${percent}% of the compressed full image (${fullCompressedBytes} bytes)`
    : `the delta (${patch.length} bytes) is ${percent}% of the compressed full image (${fullCompressedBytes} bytes), not below ${Math.round(maxRatio * 100)}%: ` +
      'the images are compressed or unrelated, so ship the full image';
  return { useDelta, patchBytes: patch.length, fullCompressedBytes, ratio, reason };
}
