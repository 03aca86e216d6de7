import { E, ZucError } from '../../shared/errors';
import { resolveLimits } from './download-limits';
import type { DownloadOptions } from './http-download';
import { contentLength, networkFailure, openResponse, statusFailure } from './http-response';
import { cancelled, parseRetryAfter, retryDelayMs, sleep, TransientDownloadError } from './retry-policy';

export interface DocumentRequest {
  url: string;
  /** Refused above this many bytes, announced or received: an index is small, a huge one is an error page or an attack. */
  maxBytes: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * GETs a small document whose hash nobody knows in advance (a catalog
 * index): the same redirects, timeouts and retries as a package download,
 * held in memory up to `maxBytes`.
 */
export async function fetchDocument(request: DocumentRequest, options: DownloadOptions = {}): Promise<Uint8Array> {
  const limits = resolveLimits(options.limits);
  const { signal } = request;
  for (let failures = 1; ; failures++) {
    try {
      return await fetchOnce(request, limits.responseTimeoutMs, limits.stallTimeoutMs, limits.maxRedirects);
    } catch (err) {
      if (signal?.aborted) throw cancelled(signal);
      if (!(err instanceof TransientDownloadError)) throw err;
      if (failures >= limits.maxAttemptsWithoutProgress) throw new ZucError(err.entry, `${err.detail} (gave up after ${failures} attempts)`, { cause: err });
      await sleep(retryDelayMs(failures, limits, err.retryAfterMs, options.random), signal);
    }
  }
}

async function fetchOnce(request: DocumentRequest, responseTimeoutMs: number, stallTimeoutMs: number, maxRedirects: number): Promise<Uint8Array> {
  const { response, url } = await openResponse({ url: request.url, responseTimeoutMs, maxRedirects, ...(request.headers ? { headers: request.headers } : {}), ...(request.signal ? { signal: request.signal } : {}) });
  let stallTimer: NodeJS.Timeout | undefined;
  try {
    if (response.statusCode !== 200) throw statusFailure(response, url, parseRetryAfter(response.headers['retry-after']));
    const length = contentLength(response, url);
    if (length !== undefined && length > request.maxBytes) throw new ZucError(E.DOWNLOAD_TOO_LARGE, `${url.href}: Content-Length ${length}, at most ${request.maxBytes} bytes expected`);
    const chunks: Buffer[] = [];
    let received = 0;
    const armStall = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => response.destroy(new TransientDownloadError(E.DOWNLOAD_TIMEOUT, `${url.host}: no data for ${stallTimeoutMs} ms`)), stallTimeoutMs);
    };
    armStall();
    try {
      for await (const chunk of response as AsyncIterable<Buffer>) {
        armStall();
        received += chunk.length;
        if (received > request.maxBytes) throw new ZucError(E.DOWNLOAD_TOO_LARGE, `${url.href}: more than ${request.maxBytes} bytes`);
        chunks.push(chunk);
      }
    } catch (err) {
      if (err instanceof ZucError) throw err;
      const failure = networkFailure(err, url, request.signal);
      throw failure.entry === E.DOWNLOAD_CONNECTION_FAILED ? new TransientDownloadError(E.DOWNLOAD_TRUNCATED, `${url.href}: connection lost after ${received} bytes`) : failure;
    }
    if (length !== undefined && received !== length) throw new TransientDownloadError(E.DOWNLOAD_TRUNCATED, `${url.href}: ${received} of ${length} bytes`);
    return new Uint8Array(Buffer.concat(chunks));
  } finally {
    clearTimeout(stallTimer);
    response.destroy();
  }
}
