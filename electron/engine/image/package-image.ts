import { E, ZucError } from '../../shared/errors';
import { logText, type DevModeWarning, type JobLogText } from '../../shared/job-log';
import type { TerminalIdentity } from '../../../native/terminal/terminal-driver';
import { assertVerdict, findPartition, looksLikePackage, openPackage, readPayload, resolveFlashImage, verifyPackage, type TrustStore } from '../package';
import { parseImageHeader } from './image-header';
import { loadImageFile, sha256Hex, type LoadedImage } from './load-image';

/** How the console treats signed packages; engine-wide settings. */
export interface PackagePolicy {
  /** A loaded trust store, or its folder (`<dataDir>/trust` by default). */
  trustStore: TrustStore | string;
  /** Development only: flash unsigned and untrusted packages, with a loud warning. */
  allowUnsigned: boolean;
  /**
   * Files the user offers as the terminal's current image, for delta
   * packages (`zuc flash --source`): the console cannot read a slot back,
   * so a delta is only applied to a file whose SHA-256 is the delta's
   * source and equals what the terminal computes over its running slot.
   */
  deltaSourceFiles?: readonly string[];
}

/** SHA-256 (lowercase hex) the terminal computes over the first `length` bytes of the slot it runs. */
export type RunningSlotHash = (length: number) => Promise<string>;

/** What the signed manifest says about the image the job flashes. */
export interface PackageFacts {
  packageId: string;
  /** The version the terminal must report after the update. */
  version: string;
  securityVersion: number;
  partition: string;
}

export interface UnpackedImage {
  /** The full image extracted from the package, hash-checked. */
  image: LoadedImage;
  facts: PackageFacts;
  /** Development-mode warnings, each to be shown loudly. */
  warnings: DevModeWarning[];
  /** Facts worth a line in the job log (what was and was not checked). */
  notes: JobLogText[];
}

export { looksLikePackage };

/**
 * Turns a `.zup` loaded for a manual flash into the image to write: signed
 * by a trusted key, meant for this terminal (model, hardware revision,
 * security version when the terminal reports one), a full package, and the
 * extracted image's own header agreeing with the manifest. Throws the
 * catalogued refusal; nothing has been written to the terminal when it does.
 */
export async function unpackForTerminal(pkgFile: LoadedImage, terminal: TerminalIdentity, policy: PackagePolicy, runningSlotHash: RunningSlotHash): Promise<UnpackedImage> {
  const pkg = await openPackage(pkgFile.bytes);
  const partition = findPartition(pkg);
  const notes: JobLogText[] = [];
  let sourceImage: Uint8Array | undefined;
  if (partition.source) {
    const source = { ...partition.source, from: pkg.manifest.baseVersion ?? `image ${partition.source.sha256}` };
    if (!policy.deltaSourceFiles?.length) {
      // On-device delta application arrives with agent protocol v2; until then the console has no source image.
      throw new ZucError(E.PACKAGE_DELTA_MANUAL_FLASH, `${pkgFile.name} is a delta from ${source.from}; flash the full package of ${pkg.manifest.version} (or give the terminal's current image with zuc flash --source FILE)`);
    }
    sourceImage = await deltaSource(policy.deltaSourceFiles, source, runningSlotHash);
    notes.push(logText('delta-source-matches', { baseVersion: pkg.manifest.baseVersion ?? null, sha256: source.sha256 }));
  }
  const securityVersion = reportedSecurityVersion(terminal);
  const packageSecurityVersion = pkg.manifest.securityVersion;
  if (securityVersion === undefined) notes.push(logText('anti-rollback-unchecked', { packageSecurityVersion }));
  else notes.push(logText('anti-rollback-checked', { packageSecurityVersion, terminalSecurityVersion: securityVersion }));
  const resolved = await resolveFlashImage(pkgFile.bytes, {
    trustStore: policy.trustStore,
    allowUnsigned: policy.allowUnsigned,
    partition: partition.name,
    ...(sourceImage ? { sourceImage } : {}),
    target: { model: terminal.model, hwRevision: terminal.hwRevision, currentVersion: terminal.firmwareVersion, ...(securityVersion === undefined ? {} : { securityVersion }) },
  });
  checkHeaderAgrees(resolved.image, resolved.version, terminal, pkgFile.name);
  return {
    image: { name: pkgFile.name, bytes: resolved.image, sha256: sha256Hex(resolved.image) },
    facts: { packageId: resolved.packageId, version: resolved.version, securityVersion: resolved.securityVersion, partition: resolved.partition },
    warnings: resolved.warnings,
    notes,
  };
}

/** A delta package verified for a terminal that applies deltas itself: the patch and the facts, no image. */
export interface UnpackedPatch {
  patch: { name: string; bytes: Uint8Array; source: { length: number; sha256: string }; target: { length: number; sha256: string } };
  facts: PackageFacts;
  warnings: DevModeWarning[];
  notes: JobLogText[];
}

/**
 * For a terminal that reports the on-device delta capability (agent
 * protocol 2): a delta package verified like any other (signature, model,
 * hardware revision, anti-rollback) and its source checked against what
 * the terminal hashes over its running slot, so a wrong base is refused
 * before a byte is sent. Null when the package is not a delta or the
 * terminal cannot apply one; then `unpackForTerminal` applies.
 */
export async function deltaForDevice(pkgFile: LoadedImage, terminal: TerminalIdentity, policy: PackagePolicy, runningSlotHash: RunningSlotHash): Promise<UnpackedPatch | null> {
  if (!terminal.capabilities?.delta) return null;
  const pkg = await openPackage(pkgFile.bytes);
  const partition = findPartition(pkg);
  if (!partition.source) return null;
  const source = partition.source;
  const running = await runningSlotHash(source.size);
  if (running !== source.sha256) {
    throw new ZucError(E.PACKAGE_DELTA_SOURCE_MISMATCH, `${pkgFile.name} applies to ${pkg.manifest.baseVersion ?? 'an image'} with sha256 ${source.sha256}; the terminal's running slot hashes to ${running} over ${source.size} bytes`);
  }
  const securityVersion = reportedSecurityVersion(terminal);
  const verdict = await verifyPackage(pkg, {
    trustStore: policy.trustStore,
    allowUnsigned: policy.allowUnsigned,
    target: { model: terminal.model, hwRevision: terminal.hwRevision, currentVersion: terminal.firmwareVersion, sourceSha256: { [partition.name]: running }, ...(securityVersion === undefined ? {} : { securityVersion }) },
  });
  assertVerdict(verdict);
  const bytes = await readPayload(pkg, partition);
  return {
    patch: { name: pkgFile.name, bytes, source: { length: source.size, sha256: source.sha256 }, target: { length: partition.size, sha256: partition.sha256 } },
    facts: { packageId: pkg.manifest.packageId, version: pkg.manifest.version, securityVersion: pkg.manifest.securityVersion, partition: partition.name },
    warnings: verdict.warnings,
    notes: [logText('delta-on-device', { bytes: bytes.byteLength, sha256: source.sha256 })],
  };
}

/**
 * The image a delta applies to: one of the files offered whose SHA-256 is
 * the delta's source, and only if the terminal runs exactly that image.
 */
async function deltaSource(files: readonly string[], source: { size: number; sha256: string; from: string }, runningSlotHash: RunningSlotHash): Promise<Uint8Array> {
  const offered: LoadedImage[] = [];
  for (const file of files) offered.push(await loadImageFile(file));
  const match = offered.find((image) => image.sha256 === source.sha256);
  if (!match) {
    throw new ZucError(E.PACKAGE_DELTA_SOURCE_MISMATCH, `${offered.map((i) => `${i.name} has sha256 ${i.sha256}`).join('; ')}; the delta was made from ${source.from} (sha256 ${source.sha256})`);
  }
  const running = await runningSlotHash(match.bytes.byteLength);
  if (running !== source.sha256) {
    throw new ZucError(E.PACKAGE_DELTA_SOURCE_MISMATCH, `${match.name} is the delta's source, but the terminal's running slot hashes to ${running} over its ${match.bytes.byteLength} bytes`);
  }
  return match.bytes;
}

/**
 * The terminal runs what the image's header says, not what the manifest
 * says: a package whose two disagree would fail only after the reboot.
 */
function checkHeaderAgrees(image: Uint8Array, version: string, terminal: TerminalIdentity, name: string): void {
  let header;
  try {
    header = parseImageHeader(image);
  } catch (err) {
    throw new ZucError(E.PACKAGE_IMAGE_MISMATCH, `${name}: the image inside has no valid firmware header (${ZucError.from(err).detail})`, { cause: err });
  }
  if (header.version !== version) throw new ZucError(E.PACKAGE_IMAGE_MISMATCH, `${name}: manifest version ${version}, image header version ${header.version}`);
  if (header.model !== terminal.model || header.hwRevision !== terminal.hwRevision) {
    throw new ZucError(E.PACKAGE_IMAGE_MISMATCH, `${name}: manifest accepts ${terminal.model} rev ${terminal.hwRevision}, image header is for ${header.model} rev ${header.hwRevision}`);
  }
}

/** Agent protocol v1 identities carry no anti-rollback counter; a later one may. */
function reportedSecurityVersion(terminal: TerminalIdentity): number | undefined {
  const value = (terminal as { securityVersion?: unknown }).securityVersion;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** What a staged package shows before a job: the manifest's model, revision and version, or null when it cannot be opened. */
export async function describePackage(bytes: Uint8Array): Promise<{ model: string; hwRevision: string; version: string } | null> {
  try {
    const { manifest } = await openPackage(bytes);
    return { model: manifest.models.join(', '), hwRevision: manifest.hwRevisions.join(', '), version: manifest.version };
  } catch (err) {
    if (err instanceof ZucError) return null;
    throw err;
  }
}
