import fs from 'node:fs/promises';
import type { LibraryEntry, LibraryListing, LibrarySourceView, ManifestView, PackageDetails, PackageLocation, SignatureView, StoredSettings, UpdateOfferView } from '../../shared/contract';
import { E, ZucError, type ErrorEntry } from '../../shared/errors';
import type { PackageCache } from '../download';
import { loadTrustStore, openPackage, type Manifest, type TrustStore } from '../package';
import type { CatalogEntry } from './catalog-schema';
import { FirmwareLibrary } from './firmware-library';
import { HttpCatalog } from './http-catalog';
import { fileSha256 } from '../image/file-sha256';
import type { LibraryPackage, RefusedFile } from './library-index';
import { judgeSignature, SignatureCache } from './signature-view';

/** A catalog or hawkBit server that does not answer within this time is listed as failed; the others do not wait for it (ms). */
export const CATALOG_LIST_TIMEOUT_MS = 8_000;

export interface LibraryViewDeps {
  /** The update sources in force, as `settingsUpdateSources` builds them: library folders, catalogs and hawkBit servers are listed. */
  sources: () => readonly { readonly name: string }[];
  /** The identified terminals: a hawkBit server is asked what it deployed for each. */
  terminals?: () => readonly TerminalIdentity[];
  /** The settings' source list, for the hawkBit servers that `sources` leaves out. */
  configured: () => StoredSettings['sources'];
  /** The trust store in force, or its folder. */
  trustStore: () => TrustStore | string;
  cache: PackageCache;
  catalogTimeoutMs?: number;
}

/** Terminals asked at once per hawkBit server. */
const HAWKBIT_PARALLEL_POLLS = 8;

const UNCHECKED: SignatureView = { status: 'unchecked', signers: [], error: null };

export interface TerminalIdentity {
  serial: string;
  model: string;
  hwRevision: string;
}

/** A server that assigns packages per terminal (hawkBit): asked without acting. */
export interface DeploymentSource {
  readonly name: string;
  peek(serial: string, signal?: AbortSignal): Promise<UpdateOfferView[]>;
}

function isDeploymentSource(source: { readonly name: string }): source is DeploymentSource {
  return typeof (source as { peek?: unknown }).peek === 'function';
}

function deploymentEntry(source: string, terminal: TerminalIdentity, offer: UpdateOfferView): LibraryEntry {
  return {
    source,
    location: `${terminal.serial}/${offer.packageId}`,
    sourceKind: 'hawkbit',
    assignedTo: terminal.serial,
    packageId: offer.packageId,
    models: [terminal.model],
    hwRevisions: [terminal.hwRevision],
    version: offer.version,
    type: offer.type,
    baseVersion: null,
    baseSha256: null,
    size: offer.size,
    signature: UNCHECKED,
  };
}

/** Runs `task` on every item, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function libraryEntry(source: string, pkg: LibraryPackage, signature: SignatureView): LibraryEntry {
  const m = pkg.manifest;
  return {
    source,
    location: pkg.relativePath,
    sourceKind: 'library',
    assignedTo: null,
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

/** What a row says of a file whose manifest could not be read: nothing about the package, only where it is and why it was refused. */
const NO_PACKAGE_FACTS: Pick<LibraryEntry, 'packageId' | 'models' | 'hwRevisions' | 'version' | 'type' | 'baseVersion' | 'baseSha256'> = {
  packageId: null,
  models: [],
  hwRevisions: [],
  version: null,
  type: null,
  baseVersion: null,
  baseSha256: null,
};

function refusedEntry(source: string, file: RefusedFile, size: number): LibraryEntry {
  return {
    source,
    location: file.relativePath,
    sourceKind: 'library',
    assignedTo: null,
    ...NO_PACKAGE_FACTS,
    size,
    signature: { status: 'invalid', signers: [], error: file.error.toJSON() },
  };
}

function catalogEntry(source: string, entry: CatalogEntry, signature: SignatureView): LibraryEntry {
  return {
    source,
    location: entry.packageId,
    sourceKind: 'catalog',
    assignedTo: null,
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
    const all = this.deps.sources();
    const listable = all.filter((s): s is FirmwareLibrary | HttpCatalog => s instanceof FirmwareLibrary || s instanceof HttpCatalog);
    const results = await Promise.all([
      ...listable.map(async (source): Promise<SourceResult> => {
        const kind = source instanceof FirmwareLibrary ? 'library' : 'catalog';
        try {
          const entries = source instanceof FirmwareLibrary ? await this.listLibrary(source, trust, listed) : await this.listCatalog(source, trust, listed);
          return { view: { source: source.name, kind, state: 'ok', packages: entries.length, error: null }, entries };
        } catch (err) {
          return { view: { source: source.name, kind, state: 'failed', packages: 0, error: ZucError.from(err).toJSON() }, entries: [] };
        }
      }),
      ...all.filter(isDeploymentSource).map((source) => this.listDeployments(source)),
    ]);
    for (const { view, entries } of results) {
      sources.push(view);
      packages.push(...entries);
    }
    // A hawkBit server saved without a token is not among the sources: it could not sign in.
    const named = new Set(all.map((s) => s.name));
    for (const s of this.deps.configured()) {
      if (s.kind !== 'hawkbit' || s.token) continue;
      const name = `hawkbit:${s.url.replace(/\/+$/, '')}/${s.tenant}`;
      if (!named.has(name)) sources.push({ source: name, kind: 'hawkbit', state: 'failed', packages: 0, error: new ZucError(E.BACKEND_CONFIG, `${s.url}: no token saved for tenant ${s.tenant}`).toJSON() });
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
      return { entry: libraryEntry(source.name, pkg, signature), manifest: manifestView(opened.manifest), securityVersion: opened.manifest.securityVersion, releaseNotes: opened.manifest.releaseNotes, fileSha256: await fileSha256(pkg.file, E.LIBRARY_FILE_CHANGED) };
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
    if (isDeploymentSource(source)) {
      const slash = where.location.indexOf('/');
      const serial = where.location.slice(0, slash);
      const terminal = (this.deps.terminals?.() ?? []).find((t) => t.serial === serial);
      const offers = terminal ? await this.peek(source, serial) : [];
      const offer = offers.find((o) => o.packageId === where.location.slice(slash + 1));
      if (!terminal || !offer) throw new ZucError(E.LIBRARY_PACKAGE_NOT_FOUND, `${source.name} deploys no ${where.location}`);
      return { entry: deploymentEntry(source.name, terminal, offer), manifest: null, securityVersion: null, releaseNotes: null, fileSha256: null };
    }
    throw new ZucError(E.LIBRARY_PACKAGE_NOT_FOUND, where.source);
  }

  /** What a hawkBit server deployed for each identified terminal; the first failure marks the server as down, what others answered is kept. */
  private async listDeployments(source: DeploymentSource): Promise<SourceResult> {
    const terminals = this.deps.terminals?.() ?? [];
    if (terminals.length === 0) return { view: { source: source.name, kind: 'hawkbit', state: 'per-terminal', packages: 0, error: null }, entries: [] };
    const entries: LibraryEntry[] = [];
    let failure: ZucError | null = null;
    await eachLimited(terminals, HAWKBIT_PARALLEL_POLLS, async (terminal) => {
      try {
        const offers = await this.peek(source, terminal.serial);
        entries.push(...offers.map((offer) => deploymentEntry(source.name, terminal, offer)));
      } catch (err) {
        failure ??= ZucError.from(err);
      }
    });
    entries.sort((a, b) => a.location.localeCompare(b.location));
    const error = failure as ZucError | null;
    return { view: { source: source.name, kind: 'hawkbit', state: error ? 'failed' : 'ok', packages: entries.length, error: error ? error.toJSON() : null }, entries };
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

  /** What a hawkBit server deployed for one terminal, asked without acting. */
  private peek(source: DeploymentSource, serial: string): Promise<UpdateOfferView[]> {
    return this.withTimeout(`${source.name} for ${serial}`, E.BACKEND_TIMEOUT, (signal) => source.peek(serial, signal));
  }

  private loadCatalog(source: HttpCatalog) {
    return this.withTimeout(source.indexUrl, E.DOWNLOAD_TIMEOUT, (signal) => source.loadIndex({ signal }));
  }

  /** A source that does not answer in time is reported with `entry`; the listing does not wait for it. */
  private async withTimeout<T>(what: string, entry: ErrorEntry, ask: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const timeoutMs = this.deps.catalogTimeoutMs ?? CATALOG_LIST_TIMEOUT_MS;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await ask(controller.signal);
    } catch (err) {
      if (controller.signal.aborted) throw new ZucError(entry, `${what}: no answer within ${timeoutMs} ms`);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

interface SourceResult {
  view: LibrarySourceView;
  entries: LibraryEntry[];
}

function fileSize(file: string): Promise<number> {
  return fs.stat(file).then(
    (s) => s.size,
    () => 0,
  );
}
