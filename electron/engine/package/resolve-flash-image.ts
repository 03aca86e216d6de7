import { E, ZucError } from '../../shared/errors';
import type { DevModeWarning } from '../../shared/job-log';
import { sha256Hex } from './byte-source';
import { extractPayload } from './extract-payload';
import { findPartition, openPackage } from './open-package';
import type { TrustStore } from './trust-store';
import { assertVerdict, verifyPackage, type VerifyTarget } from './verify-package';

export interface ResolveFlashOptions {
  /** A loaded trust store, or its folder. */
  trustStore: TrustStore | string;
  /** The terminal as identified: checked before a byte is written. */
  target: VerifyTarget;
  /** Development only: accept unsigned or untrusted packages (the warning comes back in `warnings`). */
  allowUnsigned?: boolean;
  /** Partition to flash; default the package's first (single-image terminals have one). */
  partition?: string;
  /** The terminal's current image, required when that partition is a delta. */
  sourceImage?: Uint8Array;
}

export interface FlashImage {
  image: Uint8Array;
  version: string;
  model: string;
  securityVersion: number;
  packageId: string;
  partition: string;
  /** Development-mode warnings to show the user; empty for a trusted package. */
  warnings: DevModeWarning[];
}

/**
 * Turns a `.zup` (path or bytes) into the image to write to the terminal:
 * opened, verified against the trust store and the terminal's identity,
 * decoded (a delta applied to `sourceImage`) and hash-checked. Throws the
 * first refusal as a catalogued ZucError; returns nothing it has not checked.
 */
export async function resolveFlashImage(pathOrBytes: string | Uint8Array, options: ResolveFlashOptions): Promise<FlashImage> {
  const pkg = await openPackage(pathOrBytes);
  const partition = findPartition(pkg, options.partition);
  const target: VerifyTarget = { ...options.target };
  if (partition.source && options.sourceImage && target.sourceSha256 === undefined) {
    // The terminal's image is stronger evidence than its version string.
    target.sourceSha256 = { [partition.name]: sha256Hex(options.sourceImage) };
  }
  const verdict = await verifyPackage(pkg, { trustStore: options.trustStore, allowUnsigned: options.allowUnsigned ?? false, target });
  assertVerdict(verdict);
  if (partition.source && !options.sourceImage) throw new ZucError(E.PACKAGE_DELTA_SOURCE_MISSING, `${partition.name}: read the terminal's current image first, or use the full package`);
  const image = await extractPayload(pkg, partition.name, options.sourceImage ? { sourceImage: options.sourceImage } : {});
  const model = pkg.manifest.models.includes(options.target.model) ? options.target.model : pkg.manifest.models[0]!;
  return {
    image,
    version: pkg.manifest.version,
    model,
    securityVersion: pkg.manifest.securityVersion,
    packageId: pkg.manifest.packageId,
    partition: partition.name,
    warnings: verdict.warnings,
  };
}
