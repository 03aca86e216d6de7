/**
 * Downloading packages: resumable HTTP with retries, SHA-256 while
 * streaming, and the content-addressed cache shared by every job.
 *
 *   const cache = PackageCache.inDataDir(dataDir);
 *   const { path } = await cache.fetch({ url, sha256, size, signal, onProgress });
 */
export { PackageCache, cacheDirOf, isSha256Hex, type CachedPackage, type ImportRequest } from './package-cache';
export { downloadToFile, type DownloadRequest, type DownloadOptions, type DownloadProgress, type DownloadStats } from './http-download';
export { fetchDocument, type DocumentRequest } from './fetch-document';
export { DEFAULT_LIMITS, MAX_PACKAGE_BYTES, type DownloadLimits } from './download-limits';
