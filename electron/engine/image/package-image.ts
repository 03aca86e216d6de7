import { E, ZucError } from '../../shared/errors';
import type { TerminalIdentity } from '../../../native/terminal/terminal-driver';
import { findPartition, looksLikePackage, openPackage, resolveFlashImage, type TrustStore } from '../package';
import { parseImageHeader } from './image-header';
import { sha256Hex, type LoadedImage } from './load-image';

/** How the console treats signed packages; engine-wide settings. */
export interface PackagePolicy {
  /** A loaded trust store, or its folder (`<dataDir>/trust` by default). */
  trustStore: TrustStore | string;
  /** Development only: flash unsigned and untrusted packages, with a loud warning. */
  allowUnsigned: boolean;
}

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
  warnings: string[];
  /** Facts worth a line in the job log (what was and was not checked). */
  notes: string[];
}

export { looksLikePackage };

/**
 * Turns a `.zup` loaded for a manual flash into the image to write: signed
 * by a trusted key, meant for this terminal (model, hardware revision,
 * security version when the terminal reports one), a full package, and the
 * extracted image's own header agreeing with the manifest. Throws the
 * catalogued refusal; nothing has been written to the terminal when it does.
 */
export async function unpackForTerminal(pkgFile: LoadedImage, terminal: TerminalIdentity, policy: PackagePolicy): Promise<UnpackedImage> {
  const pkg = await openPackage(pkgFile.bytes);
  const partition = findPartition(pkg);
  if (partition.source) {
    // On-device delta application arrives with agent protocol v2; until then the console has no source image.
    throw new ZucError(E.PACKAGE_DELTA_MANUAL_FLASH, `${pkgFile.name} is a delta from ${pkg.manifest.baseVersion ?? `image ${partition.source.sha256}`}; flash the full package of ${pkg.manifest.version}`);
  }
  const securityVersion = reportedSecurityVersion(terminal);
  const notes: string[] = [];
  if (securityVersion === undefined) notes.push(`the terminal does not report a security version: anti-rollback not checked (package security version ${pkg.manifest.securityVersion})`);
  else notes.push(`anti-rollback: package security version ${pkg.manifest.securityVersion}, terminal ${securityVersion}`);
  const resolved = await resolveFlashImage(pkgFile.bytes, {
    trustStore: policy.trustStore,
    allowUnsigned: policy.allowUnsigned,
    partition: partition.name,
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
