import { deltaFitsTerminal } from './terminal-match';
import type { TerminalForUpdate, UpdateOffer } from './update-source';

/** The package a job installs, and what it saves over the full one. */
export interface UpdateRoute {
  offer: UpdateOffer;
  /** The full package of the same version: the fallback after repeated delta failures. Undefined when no source has one. */
  full?: UpdateOffer;
  /** Bytes the delta spares over the full package; 0 for a full route or without a full package to compare. */
  bytesSaved: number;
}

export interface RouteOptions {
  /** Install this version (an older one only with an explicit choice); default the newest version above the terminal's. */
  targetVersion?: string;
}

/** Firmware versions compared with digit runs as numbers: B9 < B10, 1.2.9 < 1.2.10. */
export function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}

/**
 * Picks the route for one terminal among the offers of every source (in
 * priority order): the newest version above the one the terminal runs
 * (or the one asked for); of it, the
 * smallest delta whose base is the terminal's current slot, else the full
 * package from the highest-priority source. Undefined when nothing fits.
 */
export function chooseRoute(offers: readonly UpdateOffer[], terminal: TerminalForUpdate, options: RouteOptions = {}): UpdateRoute | undefined {
  const candidates = offers.filter((o) => o.version !== terminal.firmwareVersion && (o.type === 'full' || deltaFitsTerminal(o, terminal)));
  // Without an explicit target only a newer version counts: an older package in a source is not an update.
  const newer = candidates.filter((o) => compareVersions(o.version, terminal.firmwareVersion) > 0);
  const target = options.targetVersion ?? newer.sort((a, b) => compareVersions(b.version, a.version))[0]?.version;
  if (target === undefined) return undefined;
  const ofTarget = candidates.filter((o) => o.version === target);
  const full = ofTarget.find((o) => o.type === 'full');
  const delta = ofTarget.filter((o) => o.type === 'delta').sort((a, b) => a.size - b.size)[0];
  if (delta) return { offer: delta, ...(full ? { full } : {}), bytesSaved: full ? Math.max(0, full.size - delta.size) : 0 };
  return full ? { offer: full, full, bytesSaved: 0 } : undefined;
}
