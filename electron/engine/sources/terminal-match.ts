import type { Manifest } from '../package';
import type { TerminalForUpdate } from './update-source';

/** What a package (or a catalog entry) says about the terminals it is for. */
export interface PackageTarget {
  models: readonly string[];
  hwRevisions: readonly string[];
}

/** The model is listed, and the hardware revision is listed or the package is for every revision (`*`). */
export function fitsTerminal(target: PackageTarget, terminal: Pick<TerminalForUpdate, 'model' | 'hwRevision'>): boolean {
  return target.models.includes(terminal.model) && (target.hwRevisions.includes('*') || target.hwRevisions.includes(terminal.hwRevision));
}

/**
 * The image a delta package applies to: the source of its first delta
 * partition, the one a single-image terminal flashes. Undefined for a full
 * package.
 */
export function deltaBaseSha256(manifest: Manifest): string | undefined {
  return manifest.partitions.find((p) => p.source)?.source?.sha256;
}

/**
 * Whether a delta can apply to what the terminal runs: by the slot hash
 * when the terminal reported one (the binding check), else by version.
 */
export function deltaFitsTerminal(offer: { baseSha256?: string; baseVersion?: string }, terminal: TerminalForUpdate): boolean {
  if (terminal.activeSlotSha256 !== undefined) return offer.baseSha256 === terminal.activeSlotSha256;
  return offer.baseVersion !== undefined && offer.baseVersion === terminal.firmwareVersion;
}
