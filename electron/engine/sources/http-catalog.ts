import { E, ZucError } from '../../shared/errors';
import { fetchDocument, type DownloadOptions, type PackageCache } from '../download';
import { openPackage } from '../package';
import { MAX_CATALOG_BYTES, parseCatalogIndex, type CatalogEntry, type CatalogIndex } from './catalog-schema';
import { manifestDifferences } from './offer-check';
import { deltaFitsTerminal, fitsTerminal } from './terminal-match';
import type { FetchOptions, FindOptions, TerminalForUpdate, UpdateOffer, UpdateSource } from './update-source';

export interface HttpCatalogOptions {
  /** Sent with the index and package requests (a CDN token). */
  headers?: Record<string, string>;
  download?: DownloadOptions;
  /** How long a fetched index is reused; 0 fetches it for every search. */
  indexMaxAgeMs?: number;
  now?: () => number;
}

/** Short enough that a newly published package shows up within a minute, long enough for a fleet scan. */
export const INDEX_MAX_AGE_MS = 30_000;

/**
 * An HTTP catalog: a static JSON index (docs/update-sources.md) and the
 * packages it lists, served by any web server or CDN. Package URLs are
 * resolved against the index URL as configured. An entry for another model
 * is never offered, and every package is checked again after download
 * against its own signed manifest, so a wrong entry cannot get a package
 * installed on the wrong terminal.
 */
export class HttpCatalog implements UpdateSource {
  readonly name: string;
  private loaded: { at: number; index: Promise<CatalogIndex> } | undefined;

  constructor(
    readonly indexUrl: string,
    private readonly cache: PackageCache,
    private readonly options: HttpCatalogOptions = {},
  ) {
    this.name = `catalog:${indexUrl}`;
  }

  /**
   * The index, fetched at most once per `indexMaxAgeMs`: a fleet of
   * terminals looking for updates together costs the server one request.
   * A failed fetch is not remembered.
   */
  loadIndex(options: FindOptions = {}): Promise<CatalogIndex> {
    const now = this.options.now ?? Date.now;
    const maxAgeMs = this.options.indexMaxAgeMs ?? INDEX_MAX_AGE_MS;
    if (this.loaded && now() - this.loaded.at < maxAgeMs) return this.loaded.index;
    const loading = { at: now(), index: this.fetchIndex(options) };
    this.loaded = loading;
    loading.index.catch(() => {
      if (this.loaded === loading) this.loaded = undefined;
    });
    return loading.index;
  }

  private async fetchIndex(options: FindOptions): Promise<CatalogIndex> {
    const bytes = await fetchDocument({ url: this.indexUrl, maxBytes: MAX_CATALOG_BYTES, ...(this.options.headers ? { headers: this.options.headers } : {}), ...(options.signal ? { signal: options.signal } : {}) }, this.options.download);
    return parseCatalogIndex(bytes, this.indexUrl);
  }

  async findUpdates(terminal: TerminalForUpdate, options: FindOptions = {}): Promise<UpdateOffer[]> {
    const index = await this.loadIndex(options);
    return index.packages
      .filter((entry) => fitsTerminal(entry, terminal) && entry.version !== terminal.firmwareVersion)
      .filter((entry) => entry.type === 'full' || deltaFitsTerminal(entry, terminal))
      .map((entry) => this.offerOf(entry, terminal));
  }

  /**
   * Downloads one package by id for a terminal, as an explicit choice of
   * the technician: refused before any byte is fetched when the entry is not
   * for the terminal's model, and checked against the manifest afterwards.
   */
  async fetchPackage(packageId: string, terminal: TerminalForUpdate, options: FetchOptions = {}): Promise<string> {
    const index = await this.loadIndex(options.signal ? { signal: options.signal } : {});
    const entry = index.packages.find((p) => p.packageId === packageId);
    if (!entry) throw new ZucError(E.DOWNLOAD_NOT_FOUND, `${this.indexUrl} lists no package ${packageId}`);
    if (!fitsTerminal(entry, terminal)) throw new ZucError(E.CATALOG_WRONG_MODEL, `${packageId} is for ${entry.models.join(', ')} (${entry.hwRevisions.join(', ')}), the terminal is ${terminal.model} ${terminal.hwRevision}`);
    return this.offerOf(entry, terminal).fetch(options);
  }

  private offerOf(entry: CatalogEntry, terminal: TerminalForUpdate): UpdateOffer {
    return {
      source: this.name,
      packageId: entry.packageId,
      version: entry.version,
      type: entry.type,
      ...(entry.type === 'delta' ? { baseSha256: entry.baseSha256, baseVersion: entry.baseVersion } : {}),
      size: entry.size,
      sha256: entry.sha256,
      fetch: async (options = {}) => {
        const url = new URL(entry.url, this.indexUrl).href;
        const cached = await this.cache.fetch({ url, sha256: entry.sha256, size: entry.size, ...(this.options.headers ? { headers: this.options.headers } : {}), ...options });
        await checkAgainstEntry(cached.path, entry, terminal);
        return cached.path;
      },
    };
  }
}

/** The signed manifest is the truth; the index is only a pointer to it. */
async function checkAgainstEntry(file: string, entry: CatalogEntry, terminal: TerminalForUpdate): Promise<void> {
  const { manifest } = await openPackage(file);
  if (!fitsTerminal(manifest, terminal)) {
    throw new ZucError(E.CATALOG_WRONG_MODEL, `${entry.packageId}: the package is for ${manifest.models.join(', ')} (${manifest.hwRevisions.join(', ')}), the terminal is ${terminal.model} ${terminal.hwRevision}`);
  }
  const differences = manifestDifferences(manifest, entry);
  if (differences.length) throw new ZucError(E.CATALOG_ENTRY_MISMATCH, `${entry.packageId}: the manifest says ${differences.join(', ')}`);
}
