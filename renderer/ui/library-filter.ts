import type { LibraryEntry, SignatureStatus } from '../../electron/shared/contract';

export interface LibraryFilter {
  /** Exact model; empty for all. */
  model: string;
  /** Words that must all appear in the package id, version, file, source or a signer's key id. */
  text: string;
  /** Empty for any status. */
  signature: SignatureStatus | '';
}

export const NO_LIBRARY_FILTER: LibraryFilter = { model: '', text: '', signature: '' };

/** Every model the listed packages are for, sorted. */
export function modelsOf(entries: readonly LibraryEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => e.models))].sort((a, b) => a.localeCompare(b));
}

function haystack(e: LibraryEntry): string {
  return [e.packageId, e.version, e.baseVersion, e.location, e.source, ...e.models, ...e.hwRevisions, ...e.signature.signers.map((s) => s.keyId), e.signature.error?.code]
    .filter((v): v is string => Boolean(v))
    .join(' ')
    .toLowerCase();
}

/**
 * The rows to show, grouped by model then package id, so a model's full
 * packages and deltas sit together; files that are not readable packages
 * (no model) come last, where they catch the eye without splitting a model.
 */
export function filterLibrary(entries: readonly LibraryEntry[], filter: LibraryFilter): LibraryEntry[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return entries
    .filter((e) => !filter.model || e.models.includes(filter.model))
    .filter((e) => !filter.signature || e.signature.status === filter.signature)
    .filter((e) => {
      if (words.length === 0) return true;
      const text = haystack(e);
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => {
      const am = a.models[0];
      const bm = b.models[0];
      if (am === undefined || bm === undefined) return am === bm ? a.location.localeCompare(b.location) : am === undefined ? 1 : -1;
      return am.localeCompare(bm) || (a.packageId ?? '').localeCompare(b.packageId ?? '') || a.source.localeCompare(b.source);
    });
}

/** A stable key of a row across sources. */
export function entryKey(e: { source: string; location: string }): string {
  return `${e.source}\n${e.location}`;
}
