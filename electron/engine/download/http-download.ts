import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { E, ZucError } from '../../shared/errors';
import { parseContentRange } from './content-range';
import { MAX_PACKAGE_BYTES, PROGRESS_INTERVAL_MS, resolveLimits, type DownloadLimits } from './download-limits';
import { contentLength, networkFailure, openResponse, statusFailure } from './http-response';
import { cancelled, parseRetryAfter, retryDelayMs, sleep, TransientDownloadError } from './retry-policy';
import { TransferRate } from './transfer-rate';

export interface DownloadProgress {
  /** Bytes of the file present so far, including those kept from an earlier attempt. */
  receivedBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
}

export interface DownloadRequest {
  url: string;
  /** Expected SHA-256 of the whole file, lowercase hex. */
  sha256: string;
  /** Expected size in bytes: nothing larger is accepted or written. */
  size: number;
  /** Extra request headers (authorization for a source that needs it). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
}

export interface DownloadOptions {
  limits?: Partial<DownloadLimits>;
  /** Jitter source; tests make backoff deterministic with it. */
  random?: () => number;
  now?: () => number;
}

export interface DownloadStats {
  /** Bytes that came over the network in this call. */
  downloadedBytes: number;
  /** Bytes kept from an earlier interrupted download and not fetched again. */
  resumedFromBytes: number;
  /** Requests sent (redirects not counted). */
  attempts: number;
  /** Times the kept bytes were thrown away because the server sent the whole file instead of the rest. */
  restarts: number;
}

/** What a resumed request needs from the response that started the partial file. */
interface Validator {
  url: string;
  etag?: string;
  lastModified?: string;
}

const HASH_PATTERN = /^[0-9a-f]{64}$/;

export function validatorPath(partialPath: string): string {
  return `${partialPath}.json`;
}

async function readValidator(partialPath: string): Promise<Validator | undefined> {
  try {
    const value = JSON.parse(await fs.readFile(validatorPath(partialPath), 'utf8')) as Partial<Validator>;
    return typeof value.url === 'string' ? { url: value.url, ...(typeof value.etag === 'string' ? { etag: value.etag } : {}), ...(typeof value.lastModified === 'string' ? { lastModified: value.lastModified } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

/** If-Range accepts a strong ETag or a date; a weak ETag cannot promise byte-identical content. */
function ifRangeValue(validator: Validator | undefined, url: string): string | undefined {
  if (!validator || validator.url !== url) return undefined;
  if (validator.etag && !validator.etag.startsWith('W/')) return validator.etag;
  return validator.lastModified;
}

async function cacheWrite<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof ZucError) throw err;
    throw new ZucError(E.DOWNLOAD_CACHE_FAILED, `${what}: ${(err as Error).message}`, { cause: err });
  }
}

async function hashExisting(partialPath: string, hash: Hash): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(partialPath)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return bytes;
}

/** Refuses up front a download the disk cannot hold, instead of failing at 95 % after an hour. */
async function ensureFreeSpace(partialPath: string, neededBytes: number): Promise<void> {
  const dir = path.dirname(partialPath);
  const space = await fs.statfs(dir).catch(() => undefined);
  if (!space) return;
  const freeBytes = space.bavail * space.bsize;
  if (freeBytes < neededBytes) throw new ZucError(E.DOWNLOAD_CACHE_FAILED, `${dir}: ${neededBytes} bytes needed, ${freeBytes} free`);
}

async function removePartial(partialPath: string): Promise<void> {
  await fs.rm(partialPath, { force: true });
  await fs.rm(validatorPath(partialPath), { force: true });
}

/**
 * Downloads `request.url` into `partialPath`, resuming from the bytes
 * already there (Range, with If-Range so that a changed file is sent whole
 * instead of spliced), retrying transient failures with backoff, hashing
 * while it writes. Returns once `partialPath` holds exactly `size` bytes with
 * the expected SHA-256; the caller moves it into place. A failure leaves the
 * partial file for the next attempt unless its content is known to be
 * wrong (too large, wrong hash), which is deleted.
 */
export async function downloadToFile(request: DownloadRequest, partialPath: string, options: DownloadOptions = {}): Promise<DownloadStats> {
  if (!HASH_PATTERN.test(request.sha256)) throw new ZucError(E.INTERNAL, `download of ${request.url}: expected hash "${request.sha256.slice(0, 80)}" is not 64 lowercase hex digits`);
  if (!Number.isSafeInteger(request.size) || request.size < 1) throw new ZucError(E.INTERNAL, `download of ${request.url}: expected size ${request.size}`);
  if (request.size > MAX_PACKAGE_BYTES) throw new ZucError(E.DOWNLOAD_TOO_LARGE, `${request.url}: ${request.size} bytes announced, the limit is ${MAX_PACKAGE_BYTES}`);
  const limits = resolveLimits(options.limits);
  const now = options.now ?? Date.now;
  const { signal } = request;
  const stats: DownloadStats = { downloadedBytes: 0, resumedFromBytes: 0, attempts: 0, restarts: 0 };
  const rate = new TransferRate(now);
  let lastProgressAt = -Infinity;
  let hash = createHash('sha256');
  let have = 0;

  const report = (force: boolean) => {
    const at = now();
    if (!request.onProgress || (!force && at - lastProgressAt < PROGRESS_INTERVAL_MS)) return;
    lastProgressAt = at;
    request.onProgress({ receivedBytes: have, totalBytes: request.size, bytesPerSecond: rate.sample(have) });
  };
  const startOver = async () => {
    await cacheWrite(partialPath, () => removePartial(partialPath));
    hash = createHash('sha256');
    have = 0;
  };

  const existing = await fs.stat(partialPath).catch(() => undefined);
  if (existing && existing.size > request.size) await startOver();
  else if (existing) have = await cacheWrite(partialPath, () => hashExisting(partialPath, hash));
  stats.resumedFromBytes = have;
  await ensureFreeSpace(partialPath, request.size - have);
  let retriedFromScratch = false;

  const attempt = async (): Promise<void> => {
    const validator = await readValidator(partialPath);
    const headers: Record<string, string> = { ...request.headers };
    if (have > 0) {
      headers.range = `bytes=${have}-`;
      const ifRange = ifRangeValue(validator, request.url);
      if (ifRange) headers['if-range'] = ifRange;
    }
    stats.attempts++;
    const { response, url } = await openResponse({ url: request.url, headers, responseTimeoutMs: limits.responseTimeoutMs, maxRedirects: limits.maxRedirects, ...(signal ? { signal } : {}) });
    try {
      await acceptResponse(response, url);
      await receiveBody(response, url);
    } finally {
      response.destroy();
    }
  };

  const acceptResponse = async (response: http.IncomingMessage, url: URL) => {
    const status = response.statusCode ?? 0;
    const length = contentLength(response, url);
    const encoding = response.headers['content-encoding'];
    // The hash is over the file itself; a compressed transfer we did not ask for would never match it.
    if ((status === 200 || status === 206) && encoding !== undefined && encoding !== 'identity') throw new ZucError(E.DOWNLOAD_MALFORMED_RESPONSE, `${url.href}: Content-Encoding ${encoding} although identity was asked for`);
    if (status === 200) {
      if (have > 0) {
        // The server ignored the Range, or If-Range found the file changed: what we kept may not belong to this body.
        await startOver();
        stats.restarts++;
      }
      if (length !== undefined && length > request.size) throw new ZucError(E.DOWNLOAD_TOO_LARGE, `${url.href}: Content-Length ${length}, the package is ${request.size} bytes`);
      if (length !== undefined && length !== request.size) throw new ZucError(E.DOWNLOAD_SIZE_MISMATCH, `${url.href}: Content-Length ${length}, the package is ${request.size} bytes`);
      const validator: Validator = { url: request.url };
      const { etag, 'last-modified': lastModified } = response.headers;
      if (etag) validator.etag = etag;
      if (lastModified) validator.lastModified = lastModified;
      await cacheWrite(partialPath, () => fs.writeFile(validatorPath(partialPath), JSON.stringify(validator)));
      return;
    }
    if (status === 206) {
      if (have === 0) throw new ZucError(E.DOWNLOAD_MALFORMED_RESPONSE, `${url.href}: 206 Partial Content to a request without a Range`);
      const range = parseContentRange(response.headers['content-range'], url.href);
      if (range.total !== undefined && range.total !== request.size) throw new ZucError(range.total > request.size ? E.DOWNLOAD_TOO_LARGE : E.DOWNLOAD_SIZE_MISMATCH, `${url.href}: the file is ${range.total} bytes, the package is ${request.size}`);
      if (range.first !== have) throw new ZucError(E.DOWNLOAD_MALFORMED_RESPONSE, `${url.href}: asked for bytes from ${have}, got ${range.first}-${range.last}`);
      if (range.last >= request.size) throw new ZucError(E.DOWNLOAD_TOO_LARGE, `${url.href}: range ends at byte ${range.last}, the package is ${request.size} bytes`);
      if (length !== undefined && length !== range.last - range.first + 1) throw new ZucError(E.DOWNLOAD_MALFORMED_RESPONSE, `${url.href}: Content-Length ${length} for range ${range.first}-${range.last}`);
      return;
    }
    if (status === 416) {
      // The server's file is shorter than what we kept: the kept bytes are from another file.
      const kept = have;
      await startOver();
      throw new TransientDownloadError(E.DOWNLOAD_SIZE_MISMATCH, `${url.href}: range from byte ${kept} not satisfiable`);
    }
    throw statusFailure(response, url, parseRetryAfter(response.headers['retry-after']));
  };

  const receiveBody = async (response: http.IncomingMessage, url: URL) => {
    const file = await cacheWrite(partialPath, () => fs.open(partialPath, have === 0 ? 'w' : 'r+'));
    let stallTimer: NodeJS.Timeout | undefined;
    const armStall = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => response.destroy(new TransientDownloadError(E.DOWNLOAD_TIMEOUT, `${url.host}: no data for ${limits.stallTimeoutMs} ms at byte ${have}`)), limits.stallTimeoutMs);
    };
    try {
      armStall();
      for await (const chunk of response as AsyncIterable<Buffer>) {
        armStall();
        if (have + chunk.length > request.size) {
          await startOver();
          throw new ZucError(E.DOWNLOAD_TOO_LARGE, `${url.href}: more than the ${request.size} bytes announced`);
        }
        await cacheWrite(partialPath, () => file.write(chunk, 0, chunk.length, have));
        // Hashed after the write succeeded, so the hash always covers exactly the bytes on disk.
        hash.update(chunk);
        have += chunk.length;
        stats.downloadedBytes += chunk.length;
        report(false);
      }
    } catch (err) {
      if (err instanceof ZucError) throw err;
      const failure = networkFailure(err, url, signal);
      // A body cut mid-way is a truncation, not a failure to connect.
      throw failure.entry === E.DOWNLOAD_CONNECTION_FAILED ? new TransientDownloadError(E.DOWNLOAD_TRUNCATED, `${url.href}: connection lost at byte ${have} of ${request.size}`, undefined, { cause: err }) : failure;
    } finally {
      clearTimeout(stallTimer);
      await file.close();
    }
    if (have < request.size) throw new TransientDownloadError(E.DOWNLOAD_TRUNCATED, `${url.href}: the response ended at byte ${have} of ${request.size}`);
  };

  let failuresWithoutProgress = 0;
  for (;;) {
    while (have < request.size) {
      if (signal?.aborted) throw cancelled(signal);
      const before = have;
      try {
        await attempt();
      } catch (err) {
        if (signal?.aborted) throw cancelled(signal);
        if (!(err instanceof TransientDownloadError)) throw err;
        failuresWithoutProgress = have > before ? 1 : failuresWithoutProgress + 1;
        if (failuresWithoutProgress >= limits.maxAttemptsWithoutProgress) throw new ZucError(err.entry, `${err.detail} (gave up after ${stats.attempts} attempts)`, { cause: err });
        await sleep(retryDelayMs(failuresWithoutProgress, limits, err.retryAfterMs, options.random), signal);
      }
    }
    report(true);
    const digest = hash.digest('hex');
    if (digest === request.sha256) return stats;
    await startOver();
    if (stats.resumedFromBytes > 0 && !retriedFromScratch) {
      // The kept bytes may be from an older file the server replaced without a validator: one clean try.
      retriedFromScratch = true;
      stats.restarts++;
      continue;
    }
    throw new ZucError(E.DOWNLOAD_HASH_MISMATCH, `${request.url}: SHA-256 ${digest}, expected ${request.sha256}`);
  }
}
