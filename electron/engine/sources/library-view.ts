import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { LibraryEntry, LibraryListing, LibrarySourceView, ManifestView, PackageDetails, PackageLocation, SignatureView, StoredSettings } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import type { PackageCache } from '../download';
import { loadTrustStore, openPackage, type Manifest, type TrustStore } from '../package';
import type { CatalogEntry } from './catalog-schema';
import { FirmwareLibrary } from './firmware-library';
import { HttpCatalog } from './http-catalog';
import type { LibraryPackage, RefusedFile } from './library-index';
import { judgeSignature, SignatureCache } from './signature-view';

/** A catalog that does not answer within this time is listed as failed; the others do not wait for it (ms). */
export const CATALOG_LIST_TIMEOUT_MS = 8_000;

export interface LibraryViewDeps {
  /** The update sources in force, as `settingsSources` builds them; the library folders and catalogs among them are listed. */
  sources: () => readonly { readonly name: string }[];
  /** The settings' source list, for the hawkBit servers that `sources` leaves out. */
  configured: () => StoredSettings['sources'];
  /** The trust store in force, or its folder. */
  trustStore: () => TrustStore | string;
  cache: PackageCache;
  catalogTimeoutMs?: number;
}

const UNCHECKED: SignatureView = { status: 'unchecked', signers: [], error: null };

export function libraryEntry(source: string, pkg: LibraryPackage, signature: SignatureView): LibraryEntry {
  const m = pkg.manifest;
  return {
    source,
    location: pkg.relativePath,
    sourceKind: 'library',
    packageId: m.packageId,
    models: m.models,
    hwRevisions: m.hwRevisions,
    version: m.version,
    type: m.type,
    baseVersion: m.baseVersion ?? null,
    baseSha256: pkg.baseSha256 ?? null,
    size: pkg.size,
    signature,
  };
}

function refusedEntry(source: string, file: RefusedFile, size: number): LibraryEntry {
  return {
    source,
    location: file.relativePath,
    sourceKind: 'library',
    packageId: null,
    models: [],
    hwRevisions: [],
    version: null,
    type: null,
    baseVersion: null,
    baseSha256: null,
    size,
    signature: { status: 'invalid', signers: [], error: file.error.toJSON() },
  };
}

function catalogEntry(source: string, entry: CatalogEntry, signature: SignatureView): LibraryEntry {
  return {
    source,
    location: entry.packageId,
    sourceKind: 'catalog',
    packageId: entry.packageId,
    models: entry.models,
    hwRevisions: entry.hwRevisions,
    version: entry.version,
    type: entry.type,
    baseVersion: entry.type === 'delta' ? entry.baseVersion : null,
    baseSha256: entry.type === 'delta' ? entry.baseSha256 : null,
    size: entry.size,
    signature,
  };
}

export function manifestView(m: Manifest): ManifestView {
  return {
    packageId: m.packageId,
    type: m.type,
    models: m.models,
    hwRevisions: m.hwRevisions,
    version: m.version,
    securityVersion: m.securityVersion,
    baseVersion: m.baseVersion ?? null,
    createdAt: m.createdAt,
    releaseNotes: m.releaseNotes,
    formatVersion: m.formatVersion,
    partitions: m.partitions.map((p) => ({
      name: p.name,
      size: p.size,
      sha256: p.sha256,
      encoding: p.payload.encoding,
      payloadSize: p.payload.size,
      payloadSha256: p.payload.sha256,
      sourceSize: p.source?.size ?? null,
      sourceSha256: p.source?.sha256 ?? null,
    })),
  };
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (err) {
    throw new ZucError(E.LIBRARY_FILE_CHANGED, `${file}: ${(err as Error).message}`);
  }
  return hash.digest('hex');
}

/**
 * What the Library screen shows: every package of every configured source
 * with its signature judged by the real verifier against the trust store in
 * the settings. Payloads are read only to check their hashes (once per file
 * and trust store); a catalog package is judged only once it is in the cache.
 */
export class LibraryView {
  private readonly verdicts = new SignatureCache();

  constructor(private readonly deps: LibraryViewDeps) {}

  /** Read again for every request: keys added or revoked in the folder count at once. */
  trust(): Promise<TrustStore> {
    const trust = this.deps.trustStore();
    return typeof trust === 'string' ? loadTrustStore(trust) : Promise.resolve(trust);
  }

  async list(): Promise<LibraryListing> {
    const trust = await this.trust();
    const sources: LibrarySourceView[] = [];
    const packages: LibraryEntry[] = [];
    const listed = new Set<string>();
    // Sources are read together: a slow catalog costs its own timeout, not everyone's.
    const listable = this.deps.sources().filter((s): s is FirmwareLibrary | HttpCatalog => s instanceof FirmwareLibrary || s instanceof HttpCatalog);
    const results = await Promise.all(
      listable.map(async (source) => {
        try {
          const entries = source instanceof FirmwareLibrary ? await this.listLibrary(source, trust, listed) : await this.listCatalog(source, trust, listed);
          return { source, entries, error: null };
        } catch (err) {
          return { source, entries: [], error: ZucError.from(err).toJSON() };
        }
      }),
    );
    for (const { source, entries, error } of results) {
      const kind = source instanceof FirmwareLibrary ? 'library' : 'catalog';
      sources.push({ source: source.name, kind, state: error ? 'failed' : 'ok', packages: entries.length, error });
      packages.push(...entries);
    }
    for (const s of this.deps.configured()) {
      if (s.kind === 'hawkbit') sources.push({ source: `hawkbit:${s.url}#${s.tenant}`, kind: 'hawkbit', state: 'per-terminal', packages: 0, error: null });
    }
    this.verdicts.keepOnly(listed);
    return { sources, packages, importFolder: this.importLibrary()?.dir ?? null };
  }

  /** Where imports go: the first library in the settings. */
  importLibrary(): FirmwareLibrary | null {
    return this.deps.sources().find((s): s is FirmwareLibrary => s instanceof FirmwareLibrary) ?? null;
  }

  async details(where: PackageLocation): Promise<PackageDetails> {
    const source = this.deps.sources().find((s) => s.name === where.source);
    if (!source) throw new ZucError(E.LIBRARY_PACKAGE_NOT_FOUND, `no source ${where.source} in the settings`);
    const trust = await this.trust();
    if (source instanceof FirmwareLibrary) {
      const { packages, refused } = await source.index();
      const pkg = packages.find((p) => p.relativePath === where.location);
      if (!pkg) {
        const bad = refused.find((r) => r.relativePath === where.location);
        if (bad) throw bad.error;
        throw new ZucError(E.LIBRARY_PACKAGE_NOT_FOUND, `${where.location} in ${source.dir}`);
      }
      const opened = await openPackage(pkg.file);
      const signature = await judgeSignature(opened, trust);
      return { entry: libraryEntry(source.name, pkg, signature), manifest: manifestView(opened.manifest), securityVersion: opened.manifest.securityVersion, releaseNotes: opened.manifest.releaseNotes, fileSha256: await sha256OfFile(pkg.file) };
    }
    if (source instanceof HttpCatalog) {
      const index = await this.loadCatalog(source);
      const entry = index.packages.find((p) => p.packageId === where.location);
      if (!entry) throw new ZucError(E.LIBRARY_PACKAGE_NOT_FOUND, `${source.indexUrl} lists no package ${where.location}`);
      const cached = await this.deps.cache.lookup(entry.sha256, entry.size);
      const opened = cached ? await openPackage(cached) : null;
      const signature = opened ? await judgeSignature(opened, trust) : UNCHECKED;
      return {
        entry: catalogEntry(source.name, entry, signature),
        manifest: opened ? manifestView(opened.manifest) : null,
        securityVersion: opened?.manifest.securityVersion ?? entry.securityVersion ?? null,
        releaseNotes: opened?.manifest.releaseNotes ?? entry.releaseNotes ?? null,
        fileSha256: entry.sha256,
      };
    }
    throw new ZucError(E.LIBRARY_PACKAGE_NOT_FOUND, where.source);
  }

  private async listLibrary(source: FirmwareLibrary, trust: TrustStore, listed: Set<string>): Promise<LibraryEntry[]> {
    const index = await source.index();
    const entries: LibraryEntry[] = [];
    for (const pkg of index.packages) {
      listed.add(pkg.file);
      entries.push(libraryEntry(source.name, pkg, await this.verdicts.judgeFile(pkg.file, pkg, trust)));
    }
    for (const file of index.refused) entries.push(refusedEntry(source.name, file, await fileSize(file.file)));
    return entries;
  }

  private async listCatalog(source: HttpCatalog, trust: TrustStore, listed: Set<string>): Promise<LibraryEntry[]> {
    const index = await this.loadCatalog(source);
    const entries: LibraryEntry[] = [];
    for (const entry of index.packages) {
      const cached = await this.deps.cache.lookup(entry.sha256, entry.size);
      if (cached) listed.add(cached);
      // A cached file never changes (its name is its hash): size and time stand in for the stat.
      const signature = cached ? await this.verdicts.judgeFile(cached, { size: entry.size, mtimeMs: 0 }, trust) : UNCHECKED;
      entries.push(catalogEntry(source.name, entry, signature));
    }
    return entries;
  }

  private loadCatalog(source: HttpCatalog) {
    const timeoutMs = this.deps.catalogTimeoutMs ?? CATALOG_LIST_TIMEOUT_MS;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    return source.loadIndex({ signal: controller.signal }).then(
      (index) => {
        clearTimeout(timer);
        return index;
      },
      (err: unknown) => {
        clearTimeout(timer);
        if (controller.signal.aborted) throw new ZucError(E.DOWNLOAD_TIMEOUT, `${source.indexUrl}: no catalog index within ${timeoutMs} ms`);
        throw err;
      },
    );
  }
}

function fileSize(file: string): Promise<number> {
  return fs.stat(file).then(
    (s) => s.size,
    () => 0,
  );
}
