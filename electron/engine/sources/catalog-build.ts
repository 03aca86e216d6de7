import { E, ZucError } from '../../shared/errors';
import { fileSha256 } from '../image/file-sha256';
import { CATALOG_FORMAT, CATALOG_FORMAT_VERSION, CatalogIndexSchema, type CatalogEntry, type CatalogIndex } from './catalog-schema';
import type { LibraryIndex, LibraryPackage } from './library-index';

/** A package's catalog entry: the manifest's facts, the file's size and hash, its path inside the library as the URL. */
async function entryOf(pkg: LibraryPackage): Promise<CatalogEntry> {
  const m = pkg.manifest;
  const common = {
    packageId: m.packageId,
    url: pkg.relativePath.split('/').map(encodeURIComponent).join('/'),
    size: pkg.size,
    sha256: await fileSha256(pkg.file, E.LIBRARY_FILE_CHANGED),
    models: m.models,
    hwRevisions: m.hwRevisions,
    version: m.version,
    securityVersion: m.securityVersion,
  };
  if (m.type === 'full') return { ...common, type: 'full' };
  if (!m.baseVersion || !pkg.baseSha256) throw new ZucError(E.CATALOG_INVALID, `${pkg.relativePath}: a delta package without its base`);
  return { ...common, type: 'delta', baseVersion: m.baseVersion, baseSha256: pkg.baseSha256 };
}

/**
 * The catalog index for a library folder, so that the folder can be put on
 * any web server as it is: package URLs are the files' paths relative to
 * the folder, where the index goes. Two files with the same package id are
 * refused: a client could not tell which one the entry means.
 */
export async function buildCatalogIndex(library: LibraryIndex, now: Date = new Date()): Promise<CatalogIndex> {
  const seen = new Map<string, string>();
  for (const pkg of library.packages) {
    const other = seen.get(pkg.manifest.packageId);
    if (other) throw new ZucError(E.CATALOG_INVALID, `package id ${pkg.manifest.packageId} is in both ${other} and ${pkg.relativePath}`);
    seen.set(pkg.manifest.packageId, pkg.relativePath);
  }
  const packages: CatalogEntry[] = [];
  for (const pkg of library.packages) packages.push(await entryOf(pkg));
  // Checked against the same schema clients use: what this writes, they accept.
  return CatalogIndexSchema.parse({ format: CATALOG_FORMAT, formatVersion: CATALOG_FORMAT_VERSION, generatedAt: now.toISOString(), packages });
}
