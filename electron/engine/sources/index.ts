/**
 * Update sources: where the packages for a terminal come from, and which
 * route (delta or full) a job takes. Format of the HTTP catalog index:
 * docs/update-sources.md.
 *
 *   const cache = PackageCache.inDataDir(dataDir);
 *   const sources = [new FirmwareLibrary(libraryDir, cache), new HttpCatalog(indexUrl, cache)];
 *   const { offers } = await findAllUpdates(sources, terminal);
 *   const route = chooseRoute(offers, terminal);
 *   const file = await route?.offer.fetch({ onProgress });
 */
export type { UpdateSource, UpdateOffer, OfferType, TerminalForUpdate, FetchOptions, FetchProgress, FindOptions } from './update-source';
export { FirmwareLibrary } from './firmware-library';
export { indexLibrary, PACKAGE_EXTENSION, type LibraryIndex, type LibraryPackage, type RefusedFile } from './library-index';
export { HttpCatalog, INDEX_MAX_AGE_MS, type HttpCatalogOptions } from './http-catalog';
export { buildCatalogIndex } from './catalog-build';
export { parseCatalogIndex, CatalogIndexSchema, CatalogEntrySchema, CATALOG_FORMAT, CATALOG_FORMAT_VERSION, MAX_CATALOG_BYTES, type CatalogIndex, type CatalogEntry } from './catalog-schema';
export { chooseRoute, compareVersions, type UpdateRoute, type RouteOptions } from './choose-route';
export { findAllUpdates, type FoundUpdates, type SourceFailure } from './find-all-updates';
export { fitsTerminal, deltaBaseSha256, deltaFitsTerminal } from './terminal-match';
