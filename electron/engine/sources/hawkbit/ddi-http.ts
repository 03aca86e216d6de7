import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { E, ZucError } from '../../../shared/errors';

/** How the console proves who it is to the DDI API (hawkBit "authentication" concepts). */
export type DdiAuth =
  /** One device's own token. */
  | { kind: 'target'; token: string }
  /** The tenant's gateway token: the console acts for terminals without network of their own. */
  | { kind: 'gateway'; token: string }
  | { kind: 'anonymous' };

export interface DdiRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: URL;
  auth: DdiAuth;
  /** Where the credentials may go: a link to another origin (a CDN) gets no token. */
  authOrigin: string;
  headers?: Record<string, string>;
  body?: string;
  /** Longest silence on the connection before giving up. */
  idleTimeoutMs: number;
  signal?: AbortSignal;
}

const TOKEN_HEADER_SAFE = /^[\x21-\x7e]+$/;

/** The Authorization header for `auth`; the token itself never leaves this function in a message. */
export function authorizationHeader(auth: DdiAuth): string | undefined {
  if (auth.kind === 'anonymous') return undefined;
  if (!TOKEN_HEADER_SAFE.test(auth.token)) throw new ZucError(E.BACKEND_CONFIG, `the ${auth.kind} token is empty or holds characters a header cannot carry`);
  return `${auth.kind === 'target' ? 'TargetToken' : 'GatewayToken'} ${auth.token}`;
}

/** Where a request failed, for messages: origin and path only (query strings may carry signed tokens). */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Maps a non-2xx status to the catalogued error a user sees. */
export function statusError(status: number, url: URL): ZucError {
  const where = `${describeUrl(url)} answered ${status}`;
  if (status === 401 || status === 403) return new ZucError(E.BACKEND_AUTH, where);
  if (status >= 500) return new ZucError(E.BACKEND_SERVER_ERROR, where);
  if (status >= 300 && status < 400) return new ZucError(E.BACKEND_BAD_RESPONSE, `${where} (redirect)`);
  return new ZucError(E.BACKEND_REJECTED, where);
}

/**
 * Sends one request and resolves with the response head, the body still to
 * be read. Network failures and silence become catalogued errors; the
 * status is the caller's to judge.
 */
export function openRequest(request: DdiRequest): Promise<IncomingMessage> {
  const { url } = request;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new ZucError(E.BACKEND_CONFIG, `${describeUrl(url)} is not an http(s) address`));
  }
  const headers: Record<string, string> = { Accept: 'application/hal+json, application/json', ...request.headers };
  try {
    const authorization = url.origin === request.authOrigin ? authorizationHeader(request.auth) : undefined;
    if (authorization) headers.Authorization = authorization;
  } catch (err) {
    return Promise.reject(err);
  }
  if (request.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(request.body));
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { method: request.method, headers, signal: request.signal });
    req.setTimeout(request.idleTimeoutMs, () => {
      req.destroy(new ZucError(E.BACKEND_TIMEOUT, `${describeUrl(url)} sent nothing for ${request.idleTimeoutMs} ms`));
    });
    req.on('error', (err) => reject(networkError(err, url)));
    req.on('response', (res) => {
      // The idle limit keeps applying while the body streams in.
      res.socket.setTimeout(request.idleTimeoutMs);
      resolve(res);
    });
    req.end(request.body);
  });
}

/** Reads a whole (JSON-sized) body; more than `maxBytes` is refused rather than buffered. */
export async function readBody(res: IncomingMessage, url: URL, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers['content-length'] ?? NaN);
  if (declared > maxBytes) {
    res.destroy();
    throw new ZucError(E.BACKEND_BAD_RESPONSE, `${describeUrl(url)} announced ${declared} bytes, more than the ${maxBytes} allowed`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        res.destroy();
        throw new ZucError(E.BACKEND_BAD_RESPONSE, `${describeUrl(url)} sent more than the ${maxBytes} bytes allowed`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    throw networkError(err, url);
  }
  return Buffer.concat(chunks);
}

/** A socket-level failure as a catalogued error; a ZucError passes through. */
export function networkError(err: unknown, url: URL): ZucError {
  if (err instanceof ZucError) return err;
  const cause = err as NodeJS.ErrnoException;
  if (cause.name === 'AbortError') return new ZucError(E.CANCELLED, `request to ${describeUrl(url)} stopped`, { cause: err });
  if (cause.code === 'ETIMEDOUT') return new ZucError(E.BACKEND_TIMEOUT, describeUrl(url), { cause: err });
  return new ZucError(E.BACKEND_UNREACHABLE, `${describeUrl(url)}: ${cause.code ?? cause.message}`, { cause: err });
}
