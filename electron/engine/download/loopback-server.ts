import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a test server saw of one request. */
export interface SeenRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Body bytes the handler handed to the socket for this request. */
  bytesSent: number;
}

export interface LoopbackServer {
  url(path: string): string;
  readonly requests: SeenRequest[];
  /** Body bytes sent over all requests. */
  bytesSent(): number;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 for download tests. The handler writes
 * through `send`, which counts body bytes so tests can prove that nothing
 * kept was downloaded twice.
 */
export async function startLoopbackServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, send: (bytes: Uint8Array) => Promise<void>, seen: SeenRequest) => void | Promise<void>): Promise<LoopbackServer> {
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const seen: SeenRequest = { path: req.url ?? '', headers: req.headers, bytesSent: 0 };
    requests.push(seen);
    const send = (bytes: Uint8Array) =>
      new Promise<void>((resolve) => {
        seen.bytesSent += bytes.length;
        res.write(bytes, () => resolve());
      });
    Promise.resolve(handler(req, res, send, seen)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    bytesSent: () => requests.reduce((sum, r) => sum + r.bytesSent, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves `file` the way a CDN does: ETag, Range and If-Range honoured. */
export async function serveRange(req: http.IncomingMessage, res: http.ServerResponse, send: (bytes: Uint8Array) => Promise<void>, file: Uint8Array, etag: string): Promise<number> {
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const ifRange = req.headers['if-range'];
  const start = range && (ifRange === undefined || ifRange === etag) ? Number(range[1]) : 0;
  if (start >= file.length && start > 0) {
    res.writeHead(416, { 'content-range': `bytes */${file.length}` }).end();
    return start;
  }
  const headers = { etag, 'accept-ranges': 'bytes', 'content-length': String(file.length - start) };
  if (start > 0) res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${file.length - 1}/${file.length}` });
  else res.writeHead(200, headers);
  return start;
}
