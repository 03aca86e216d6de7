import http from 'node:http';
import https from 'node:https';
import { E, ZucError } from '../../shared/errors';
import { cancelled, TransientDownloadError } from './retry-policy';

export interface ResponseRequest {
  url: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  responseTimeoutMs: number;
  maxRedirects: number;
}

export interface OpenedResponse {
  response: http.IncomingMessage;
  /** Where the response came from after redirects. */
  url: URL;
}

/** Not carried to another origin: a CDN redirect must not receive the catalog's token. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Socket errors of a network that comes and goes: worth another attempt. */
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

export function parseUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new ZucError(E.DOWNLOAD_BAD_URL, `not a URL: ${text.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ZucError(E.DOWNLOAD_BAD_URL, `${url.protocol} is not http or https: ${url.href}`);
  if (url.username || url.password) throw new ZucError(E.DOWNLOAD_BAD_URL, `credentials in a URL end up in logs; configure them for the source instead: ${url.host}`);
  return url;
}

/** A thrown socket or parser error as the failure the user sees. */
export function networkFailure(err: unknown, url: URL, signal?: AbortSignal): ZucError {
  if (signal?.aborted) return cancelled(signal);
  if (err instanceof ZucError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const message = (err as Error).message;
  if (code.startsWith('HPE_')) return new ZucError(E.DOWNLOAD_MALFORMED_RESPONSE, `${url.host}: not valid HTTP (${message})`);
  if (CONNECTION_ERRORS.has(code) || message === 'socket hang up') return new TransientDownloadError(E.DOWNLOAD_CONNECTION_FAILED, `${url.host}: ${code || message}`, undefined, { cause: err });
  return new TransientDownloadError(E.DOWNLOAD_CONNECTION_FAILED, `${url.host}: ${message}`, undefined, { cause: err });
}

function requestOnce(url: URL, headers: Record<string, string>, signal: AbortSignal | undefined, responseTimeoutMs: number): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled(signal));
    const transport = url.protocol === 'https:' ? https : http;
    // A fresh connection per request: a pooled socket the server half-closed would turn every retry into a reset.
    const req = transport.request(url, { method: 'GET', headers, agent: false, ...(signal ? { signal } : {}) });
    const timer = setTimeout(() => req.destroy(new TransientDownloadError(E.DOWNLOAD_TIMEOUT, `${url.host}: no response within ${responseTimeoutMs} ms`)), responseTimeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      resolve(res);
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(networkFailure(err, url, signal));
    });
    req.end();
  });
}

/**
 * Sends a GET and follows redirects up to the limit. A redirect back to an
 * address already visited is a loop, refused at once rather than after the
 * limit; a redirect from HTTPS to plain HTTP is refused, and credentials are
 * not carried to another origin. Returns the first non-redirect response
 * with its body unread; the caller must consume or destroy it.
 */
export async function openResponse(request: ResponseRequest): Promise<OpenedResponse> {
  let url = parseUrl(request.url);
  let headers: Record<string, string> = { 'user-agent': 'zte-update-console', 'accept-encoding': 'identity', ...request.headers };
  const visited = [url.href];
  for (;;) {
    const response = await requestOnce(url, headers, request.signal, request.responseTimeoutMs);
    if (!REDIRECT_STATUSES.has(response.statusCode ?? 0)) return { response, url };
    response.resume();
    const location = response.headers.location;
    if (!location) throw new ZucError(E.DOWNLOAD_MALFORMED_RESPONSE, `${url.href}: redirect ${response.statusCode} without a Location`);
    const next = parseUrl(location, url);
    if (url.protocol === 'https:' && next.protocol === 'http:') throw new ZucError(E.DOWNLOAD_BAD_URL, `redirect from ${url.href} to plain HTTP ${next.href} refused`);
    if (visited.includes(next.href)) throw new ZucError(E.DOWNLOAD_REDIRECT_LOOP, [...visited, next.href].join(' → '));
    if (visited.length > request.maxRedirects) throw new ZucError(E.DOWNLOAD_REDIRECT_LOOP, `more than ${request.maxRedirects} redirects from ${visited[0]}`);
    if (next.origin !== url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())));
    visited.push(next.href);
    url = next;
  }
}

/** A non-success status as its catalogued failure; 5xx, 408 and 429 are transient. */
export function statusFailure(response: http.IncomingMessage, url: URL, retryAfterMs: number | undefined): ZucError {
  const status = response.statusCode ?? 0;
  const detail = `${url.href}: HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`;
  if (status === 404 || status === 410) return new ZucError(E.DOWNLOAD_NOT_FOUND, detail);
  if (status === 401 || status === 403 || status === 407) return new ZucError(E.DOWNLOAD_AUTH_REFUSED, detail);
  if (status === 408) return new TransientDownloadError(E.DOWNLOAD_TIMEOUT, detail, retryAfterMs);
  if (status === 429 || (status >= 500 && status <= 599)) return new TransientDownloadError(E.DOWNLOAD_SERVER_UNAVAILABLE, detail, retryAfterMs);
  if (status >= 400 && status <= 499) return new ZucError(E.DOWNLOAD_CLIENT_ERROR, detail);
  return new ZucError(E.DOWNLOAD_MALFORMED_RESPONSE, `${detail} (unexpected status)`);
}

/** Content-Length as a number; undefined when absent, MALFORMED when not a plain decimal. */
export function contentLength(response: http.IncomingMessage, url: URL): number | undefined {
  const value = response.headers['content-length'];
  if (value === undefined) return undefined;
  if (!/^\d{1,16}$/.test(value)) throw new ZucError(E.DOWNLOAD_MALFORMED_RESPONSE, `${url.href}: Content-Length "${value.slice(0, 40)}"`);
  return Number(value);
}
