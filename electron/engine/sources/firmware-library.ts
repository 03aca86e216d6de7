import { E, ZucError } from '../../shared/errors';
import type { PackageCache } from '../download';
import { openPackage } from '../package';
import { fileSha256 } from '../image/file-sha256';
import { indexLibrary, type LibraryIndex, type LibraryPackage } from './library-index';
import { manifestDifferences } from './offer-check';
import { SignatureCache } from './signature-view';
import { deltaFitsTerminal, fitsTerminal } from './terminal-match';
import type { FindOptions, TerminalForUpdate, UpdateOffer, UpdateSource } from './update-source';

/**
 * The local firmware library: a folder of signed packages, the embedded
 * default source. Each search re-reads the manifests (cheap: no payloads),
 * so packages copied in while the console runs are offered at once; a
 * package's file hash is computed only when it is offered, and remembered
 * while the file keeps its size and modification time.
 */
export class FirmwareLibrary implements UpdateSource {
  readonly name: string;
  private readonly hashes = new Map<string, { size: number; mtimeMs: number; sha256: Promise<string> }>();
  /** Signature verdicts for route selection: each file's payloads are hashed once per trust store, not per terminal. */
  private readonly verdicts = new SignatureCache();

  constructor(
    readonly dir: string,
    private readonly cache: PackageCache,
  ) {
    this.name = `library:${dir}`;
  }

  index(): Promise<LibraryIndex> {
    return indexLibrary(this.dir);
  }

  async findUpdates(terminal: TerminalForUpdate, options: FindOptions = {}): Promise<UpdateOffer[]> {
    const { packages } = await this.index();
    this.verdicts.keepOnly(new Set(packages.map((p) => p.file)));
    const offers: UpdateOffer[] = [];
    for (const pkg of packages) {
      const m = pkg.manifest;
      if (!fitsTerminal(m, terminal) || m.version === terminal.firmwareVersion) continue;
      if (m.type === 'delta' && !deltaFitsTerminal({ ...(pkg.baseSha256 ? { baseSha256: pkg.baseSha256 } : {}), ...(m.baseVersion ? { baseVersion: m.baseVersion } : {}) }, terminal)) continue;
      if (options.signal?.aborted) throw new ZucError(E.DOWNLOAD_CANCELLED, 'looking for updates');
      offers.push(this.offerOf(pkg, await this.sha256Of(pkg)));
    }
    return offers;
  }

  private offerOf(pkg: LibraryPackage, sha256: string): UpdateOffer {
    const m = pkg.manifest;
    return {
      source: this.name,
      packageId: m.packageId,
      version: m.version,
      type: m.type,
      ...(pkg.baseSha256 ? { baseSha256: pkg.baseSha256 } : {}),
      ...(m.baseVersion ? { baseVersion: m.baseVersion } : {}),
      size: pkg.size,
      sha256,
      fetch: async (options = {}) => {
        // Copied into the cache, hash-checked: the job installs exactly what was offered even if the library file is replaced meanwhile.
        const cached = await this.cache.importFile({ file: pkg.file, sha256, size: pkg.size, mismatch: E.LIBRARY_FILE_CHANGED, ...options });
        // The manifest was read a moment before the hash; make sure both describe the same file.
        const { manifest } = await openPackage(cached.path);
        const differences = manifestDifferences(manifest, { packageId: m.packageId, version: m.version, type: m.type, ...(pkg.baseSha256 ? { baseSha256: pkg.baseSha256 } : {}) });
        if (differences.length) throw new ZucError(E.LIBRARY_FILE_CHANGED, `${pkg.file}: now ${differences.join(', ')}`);
        return cached.path;
      },
      signature: (trust) => this.verdicts.judgeFile(pkg.file, pkg, trust),
    };
  }

  /** Terminals searching together share one hashing of each file. */
  private sha256Of(pkg: LibraryPackage): Promise<string> {
    const known = this.hashes.get(pkg.file);
    if (known && known.size === pkg.size && known.mtimeMs === pkg.mtimeMs) return known.sha256;
    const sha256 = fileSha256(pkg.file, E.LIBRARY_FILE_CHANGED);
    const entry = { size: pkg.size, mtimeMs: pkg.mtimeMs, sha256 };
    this.hashes.set(pkg.file, entry);
    sha256.catch(() => {
      if (this.hashes.get(pkg.file) === entry) this.hashes.delete(pkg.file);
    });
    return sha256;
  }
}
