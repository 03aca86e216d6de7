import { createDelta, shouldUseDelta } from '../delta';
import { E, ZucError } from '../../shared/errors';
import { sha256Hex } from './byte-source';
import { extractPayload, readPayload } from './extract-payload';
import type { SigningKey } from './keys';
import { DELTA_WORTH_RATIO, PACKAGE_FORMAT_VERSION } from './limits';
import { PACKAGE_ID, type Manifest, type Partition, type PayloadEncoding } from './manifest-schema';
import type { OpenedPackage } from './open-package';
import { packPartitions, type PackResult } from './pack-full';
import { sealPackage } from './write-container';

export interface DeltaDecision {
  partition: string;
  encoding: PayloadEncoding;
  /** Why this partition is or is not a delta, in one sentence for the packer's output. */
  reason: string;
}

export interface PackDeltaProgress {
  partition: string;
  index: number;
  count: number;
  /** Share of this partition's delta done, 0 to 1. */
  fraction: number;
}

export interface PackDeltaOptions {
  keys: readonly SigningKey[];
  /** Default: the new package's id followed by `-from-<old version>`. */
  packageId?: string;
  onProgress?: (p: PackDeltaProgress) => void;
  now?: () => Date;
  /** A delta is kept only below this share of the full payload (default 0.9). */
  maxRatio?: number;
}

export interface PackDeltaResult extends PackResult {
  decisions: DeltaDecision[];
}

function assertCompatible(oldPkg: OpenedPackage, newPkg: OpenedPackage): void {
  const o = oldPkg.manifest;
  const n = newPkg.manifest;
  if (o.type !== 'full' || n.type !== 'full') throw new ZucError(E.PACKAGE_DELTA_INCOMPATIBLE, 'both packages must be full packages');
  const foreign = n.models.filter((m) => !o.models.includes(m));
  if (foreign.length) throw new ZucError(E.PACKAGE_DELTA_INCOMPATIBLE, `the old package is not for ${foreign.join(', ')}`);
}

function defaultPackageId(newPkg: OpenedPackage, oldPkg: OpenedPackage): string {
  const id = `${newPkg.manifest.packageId}-from-${oldPkg.manifest.version}`.slice(0, 128);
  return PACKAGE_ID.test(id) && !id.includes('..') ? id : newPkg.manifest.packageId;
}

/**
 * Builds a delta package that takes a terminal from the old package's images
 * to the new package's. Refuses to pretend: a partition whose patch is not
 * clearly smaller than its full payload (below `maxRatio`) keeps the full
 * payload, and when no partition gains, the result is a full package.
 */
export async function packDelta(oldPkg: OpenedPackage, newPkg: OpenedPackage, options: PackDeltaOptions): Promise<PackDeltaResult> {
  assertCompatible(oldPkg, newPkg);
  const partitions = newPkg.manifest.partitions;
  const decisions: DeltaDecision[] = [];
  const encoded: Parameters<typeof packPartitions>[0][number][] = [];
  for (const [index, part] of partitions.entries()) {
    const report = (fraction: number): void => options.onProgress?.({ partition: part.name, index, count: partitions.length, fraction });
    report(0);
    const fullPayload = await readPayload(newPkg, part);
    const full = { name: part.name, size: part.size, sha256: part.sha256, encoding: part.payload.encoding, payload: fullPayload };
    const oldPart = oldPkg.manifest.partitions.find((p) => p.name === part.name);
    if (!oldPart) {
      decisions.push({ partition: part.name, encoding: full.encoding, reason: 'the old package has no such partition: full image' });
      encoded.push(full);
      continue;
    }
    const oldImage = await extractPayload(oldPkg, oldPart.name);
    const newImage = await extractPayload(newPkg, part.name);
    const patch = createDelta(oldImage, newImage, { onProgress: report });
    const verdict = shouldUseDelta(oldImage, newImage, patch, { fullCompressedBytes: fullPayload.length, maxRatio: options.maxRatio ?? DELTA_WORTH_RATIO });
    if (verdict.useDelta) {
      const source: NonNullable<Partition['source']> = { size: oldImage.length, sha256: sha256Hex(oldImage) };
      encoded.push({ ...full, encoding: 'delta', payload: patch, source });
      decisions.push({ partition: part.name, encoding: 'delta', reason: verdict.reason });
    } else {
      encoded.push(full);
      decisions.push({ partition: part.name, encoding: full.encoding, reason: verdict.reason });
    }
    report(1);
  }
  const { partitions: packed, payloads } = packPartitions(encoded);
  const isDelta = packed.some((p) => p.payload.encoding === 'delta');
  const n = newPkg.manifest;
  const manifest: Manifest = {
    formatVersion: PACKAGE_FORMAT_VERSION,
    packageId: isDelta ? (options.packageId ?? defaultPackageId(newPkg, oldPkg)) : n.packageId,
    type: isDelta ? 'delta' : 'full',
    models: n.models,
    hwRevisions: n.hwRevisions,
    version: n.version,
    securityVersion: n.securityVersion,
    ...(isDelta ? { baseVersion: oldPkg.manifest.version } : {}),
    createdAt: (options.now ?? (() => new Date()))().toISOString(),
    releaseNotes: n.releaseNotes,
    partitions: packed,
  };
  return { bytes: sealPackage(manifest, payloads, options.keys), manifest, decisions };
}
