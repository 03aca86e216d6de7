import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZucError } from '../../shared/errors';
import type { DownloadLimits } from './download-limits';
import { startLoopbackServer, serveRange, type LoopbackServer } from './loopback-server';
import { PackageCache } from './package-cache';

const FILE = new Uint8Array(randomBytes(256 * 1024));
const FILE_SHA = createHash('sha256').update(FILE).digest('hex');
const HALF = FILE.length / 2;
const ETAG = '"v1"';
/** Short limits so failing paths end in milliseconds, not minutes. */
const FAST: Partial<DownloadLimits> = { retryBaseDelayMs: 5, retryMaxDelayMs: 50, responseTimeoutMs: 2_000, stallTimeoutMs: 2_000, maxAttemptsWithoutProgress: 3 };

let dir: string;
let server: LoopbackServer | undefined;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zuc-dl-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await fs.rm(dir, { recursive: true, force: true });
});

function cache(limits: Partial<DownloadLimits> = FAST): PackageCache {
  return new PackageCache(path.join(dir, 'cache'), { limits, random: () => 0.5 });
}

async function failure(promise: Promise<unknown>): Promise<ZucError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ZucError);
  return err as ZucError;
}

/** Sends `count` bytes from `start`, then waits for them to leave and cuts the connection. */
async function sendThenCut(res: http.ServerResponse, send: (b: Uint8Array) => Promise<void>, start: number, count: number): Promise<void> {
  await send(FILE.subarray(start, start + count));
  await new Promise((r) => setTimeout(r, 30));
  res.socket?.destroy();
}

describe('package download with resume', () => {
  it('resumes after the server cuts the connection mid-body, without fetching a kept byte twice', async () => {
    server = await startLoopbackServer(async (req, res, send) => {
      const start = await serveRange(req, res, send, FILE, ETAG);
      if (server!.requests.length === 1) return sendThenCut(res, send, 0, HALF);
      await send(FILE.subarray(start));
      res.end();
    });
    const progress: number[] = [];
    const got = await cache().fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length, onProgress: (p) => progress.push(p.receivedBytes) });

    expect(Buffer.compare(await fs.readFile(got.path), FILE)).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers.range).toBe(`bytes=${HALF}-`);
    expect(server.requests[1]!.headers['if-range']).toBe(ETAG);
    expect(server.bytesSent()).toBe(FILE.length);
    expect(got.stats).toMatchObject({ downloadedBytes: FILE.length, attempts: 2, restarts: 0 });
    expect(progress.at(-1)).toBe(FILE.length);
  });

  it('keeps the received bytes when it gives up, and the next run fetches only the rest', async () => {
    let cut = true;
    server = await startLoopbackServer(async (req, res, send) => {
      const start = await serveRange(req, res, send, FILE, ETAG);
      if (cut) return sendThenCut(res, send, start, 64 * 1024);
      await send(FILE.subarray(start));
      res.end();
    });
    const c = cache({ ...FAST, maxAttemptsWithoutProgress: 1 });
    const err = await failure(c.fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length }));
    expect(err.code).toBe('ZUC-6002');
    const kept = (await fs.stat(c.partialPathOf(FILE_SHA))).size;
    expect(kept).toBe(64 * 1024);

    cut = false;
    const sentBefore = server.bytesSent();
    const got = await c.fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length });
    expect(got.stats?.resumedFromBytes).toBe(kept);
    expect(server.bytesSent() - sentBefore).toBe(FILE.length - kept);
    expect(Buffer.compare(await fs.readFile(got.path), FILE)).toBe(0);
    await expect(fs.stat(c.partialPathOf(FILE_SHA))).rejects.toThrow();
  });

  it('starts over cleanly when the server ignores Range and sends the whole file', async () => {
    server = await startLoopbackServer(async (_req, res, send) => {
      res.writeHead(200, { 'content-length': String(FILE.length) });
      if (server!.requests.length === 1) return sendThenCut(res, send, 0, HALF);
      await send(FILE);
      res.end();
    });
    const got = await cache().fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length });
    expect(server.requests[1]!.headers.range).toBe(`bytes=${HALF}-`);
    expect(got.stats?.restarts).toBe(1);
    expect(Buffer.compare(await fs.readFile(got.path), FILE)).toBe(0);
  });

  async function keptPartial(c: PackageCache, validatorUrl: string): Promise<void> {
    await fs.mkdir(c.dir, { recursive: true });
    await fs.writeFile(c.partialPathOf(FILE_SHA), randomBytes(HALF));
    await fs.writeFile(`${c.partialPathOf(FILE_SHA)}.json`, JSON.stringify({ url: validatorUrl, etag: '"old"' }));
  }

  it('gets the whole file when If-Range shows the file changed since the partial was kept', async () => {
    server = await startLoopbackServer(async (req, res, send) => {
      const start = await serveRange(req, res, send, FILE, ETAG);
      await send(FILE.subarray(start));
      res.end();
    });
    const c = cache();
    await keptPartial(c, server.url('/fw.zup'));
    const got = await c.fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['if-range']).toBe('"old"');
    expect(got.stats?.restarts).toBe(1);
    expect(Buffer.compare(await fs.readFile(got.path), FILE)).toBe(0);
  });

  it('fetches again from scratch once when resumed bytes turn out to be from another file', async () => {
    server = await startLoopbackServer(async (req, res, send) => {
      const start = await serveRange(req, res, send, FILE, ETAG);
      await send(FILE.subarray(start));
      res.end();
    });
    const c = cache();
    // A validator for another address is not sent: the server sends the rest and only the hash can tell.
    await keptPartial(c, 'https://old.example/fw.zup');
    const got = await c.fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length });
    expect(Buffer.compare(await fs.readFile(got.path), FILE)).toBe(0);
    expect(got.stats?.restarts).toBe(1);
    expect(server.requests.map((r) => r.headers.range)).toEqual([`bytes=${HALF}-`, undefined]);
  });
});

describe('package download failures', () => {
  it('retries 503 and 429 (honouring Retry-After) and then succeeds', async () => {
    server = await startLoopbackServer(async (_req, res, send) => {
      const n = server!.requests.length;
      if (n === 1) return void res.writeHead(503, { 'retry-after': '0' }).end('busy');
      if (n === 2) return void res.writeHead(429, { 'retry-after': '0' }).end('slow down');
      res.writeHead(200, { 'content-length': String(FILE.length) });
      await send(FILE);
      res.end();
    });
    const got = await cache().fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length });
    expect(got.stats?.attempts).toBe(3);
    expect(Buffer.compare(await fs.readFile(got.path), FILE)).toBe(0);
  });

  it('reports a server that stays at 503 as unavailable after the retries', async () => {
    server = await startLoopbackServer((_req, res) => void res.writeHead(503).end());
    const err = await failure(cache().fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length }));
    expect(err.code).toBe('ZUC-6008');
    expect(err.entry.retryable).toBe(true);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a 404, and 401 is an access problem', async () => {
    server = await startLoopbackServer((req, res) => void res.writeHead(req.url === '/secret' ? 401 : 404).end());
    const notFound = await failure(cache().fetch({ url: server.url('/gone.zup'), sha256: FILE_SHA, size: FILE.length }));
    expect(notFound.code).toBe('ZUC-6005');
    expect(server.requests).toHaveLength(1);
    const auth = await failure(cache().fetch({ url: server.url('/secret'), sha256: FILE_SHA, size: FILE.length }));
    expect(auth.code).toBe('ZUC-6006');
  });

  it('refuses a file with the wrong hash and leaves nothing in the cache', async () => {
    const other = new Uint8Array(randomBytes(FILE.length));
    server = await startLoopbackServer(async (_req, res, send) => {
      res.writeHead(200, { 'content-length': String(other.length) });
      await send(other);
      res.end();
    });
    const c = cache();
    const err = await failure(c.fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length }));
    expect(err.code).toBe('ZUC-6001');
    expect(await c.lookup(FILE_SHA)).toBeUndefined();
    await expect(fs.stat(c.partialPathOf(FILE_SHA))).rejects.toThrow();
  });

  it('reports a download that always ends early as truncated', async () => {
    server = await startLoopbackServer(async (_req, res, send) => {
      // No Content-Length and a clean close: only the expected size reveals the missing tail.
      res.writeHead(200, { connection: 'close' });
      await send(FILE.subarray(0, 1000));
      res.end();
    });
    const err = await failure(cache().fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length }));
    expect(err.code).toBe('ZUC-6002');
  });

  it('refuses a huge Content-Length before reading the body', async () => {
    let closedAfterMs = -1;
    server = await startLoopbackServer(async (_req, res, send) => {
      res.writeHead(200, { 'content-length': String(10 * 2 ** 40) });
      const started = Date.now();
      res.on('close', () => (closedAfterMs = Date.now() - started));
      for (let i = 0; i < 200 && !res.destroyed; i++) await send(new Uint8Array(64 * 1024));
    });
    const c = cache();
    const err = await failure(c.fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length }));
    expect(err.code).toBe('ZUC-6003');
    await expect(fs.stat(c.partialPathOf(FILE_SHA))).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 100));
    expect(closedAfterMs).toBeGreaterThanOrEqual(0);
    expect(server.bytesSent()).toBeLessThan(200 * 64 * 1024);
  });

  it('stops reading a body that runs past the expected size', async () => {
    server = await startLoopbackServer(async (_req, res, send) => {
      res.writeHead(200);
      await send(FILE);
      await send(FILE);
      res.end();
    });
    const err = await failure(cache().fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length }));
    expect(err.code).toBe('ZUC-6003');
  });

  it('refuses a compressed transfer, whose bytes are not the file the hash is for', async () => {
    server = await startLoopbackServer(async (_req, res, send) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      await send(FILE.subarray(0, 100));
      res.end();
    });
    const err = await failure(cache().fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length }));
    expect(err.code).toBe('ZUC-6009');
    expect(server.requests).toHaveLength(1);
  });

  it('detects a redirect loop', async () => {
    server = await startLoopbackServer((req, res) => void res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' }).end());
    const err = await failure(cache().fetch({ url: server.url('/a'), sha256: FILE_SHA, size: FILE.length }));
    expect(err.code).toBe('ZUC-6004');
    expect(err.detail).toContain('/a → ');
    expect(server.requests).toHaveLength(2);
  });

  it('follows redirects up to the limit, and no further', async () => {
    server = await startLoopbackServer(async (req, res, send) => {
      const hop = Number(req.url!.slice(1));
      if (hop < 3) return void res.writeHead(307, { location: `/${hop + 1}` }).end();
      res.writeHead(200, { 'content-length': String(FILE.length) });
      await send(FILE);
      res.end();
    });
    await expect(cache({ ...FAST, maxRedirects: 3 }).fetch({ url: server.url('/0'), sha256: FILE_SHA, size: FILE.length })).resolves.toMatchObject({ fromCache: false });
    const err = await failure(new PackageCache(path.join(dir, 'other-cache'), { limits: { ...FAST, maxRedirects: 2 } }).fetch({ url: server.url('/0'), sha256: FILE_SHA, size: FILE.length }));
    expect(err.code).toBe('ZUC-6004');
  });

  it('times out a server that never answers, and one that stalls mid-body resumes', async () => {
    server = await startLoopbackServer(async (req, res, send) => {
      if (req.url === '/silent') return;
      const start = await serveRange(req, res, send, FILE, ETAG);
      if (server!.requests.filter((r) => r.path === '/stall').length === 1) return void (await send(FILE.subarray(0, HALF)));
      await send(FILE.subarray(start));
      res.end();
    });
    const quick = { ...FAST, responseTimeoutMs: 150, stallTimeoutMs: 150, maxAttemptsWithoutProgress: 2 };
    const err = await failure(cache(quick).fetch({ url: server.url('/silent'), sha256: FILE_SHA, size: FILE.length }));
    expect(err.code).toBe('ZUC-6010');
    const got = await cache(quick).fetch({ url: server.url('/stall'), sha256: FILE_SHA, size: FILE.length });
    expect(server.requests.at(-1)!.headers.range).toBe(`bytes=${HALF}-`);
    expect(Buffer.compare(await fs.readFile(got.path), FILE)).toBe(0);
  });

  it('reports an unreachable server as a connection failure', async () => {
    server = await startLoopbackServer(() => undefined);
    const url = server.url('/fw.zup');
    await server.close();
    server = undefined;
    const err = await failure(cache().fetch({ url, sha256: FILE_SHA, size: FILE.length }));
    expect(err.code).toBe('ZUC-6011');
  });

  it('refuses URLs that are not http or https', async () => {
    const err = await failure(cache().fetch({ url: 'file:///etc/passwd', sha256: FILE_SHA, size: FILE.length }));
    expect(err.code).toBe('ZUC-6013');
  });

  it('stops on abort and keeps what it received', async () => {
    const controller = new AbortController();
    server = await startLoopbackServer(async (req, res, send) => {
      // Half the file, then silence: only the abort can end this download.
      await serveRange(req, res, send, FILE, ETAG);
      await send(FILE.subarray(0, HALF));
    });
    const c = cache();
    const onProgress = () => controller.abort();
    const err = await failure(c.fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length, signal: controller.signal, onProgress }));
    expect(err.code).toBe('ZUC-6012');
    expect((await fs.stat(c.partialPathOf(FILE_SHA))).size).toBeGreaterThan(0);
  });
});

describe('package cache', () => {
  /** Serves the file in 32 KiB pieces 5 ms apart, so a second caller arrives while the first download runs. */
  function startTricklingServer() {
    return startLoopbackServer(async (_req, res, send) => {
      res.writeHead(200, { 'content-length': String(FILE.length) });
      for (let i = 0; i < FILE.length; i += 32 * 1024) {
        await send(FILE.subarray(i, i + 32 * 1024));
        await new Promise((r) => setTimeout(r, 5));
      }
      res.end();
    });
  }

  it('downloads a package once for two concurrent requests, and not at all once cached', async () => {
    server = await startTricklingServer();
    const c = cache();
    const request = { url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length };
    const [a, b] = await Promise.all([c.fetch(request), c.fetch(request)]);
    expect(a.path).toBe(b.path);
    expect(a.path).toBe(path.join(c.dir, FILE_SHA));
    expect(server.requests).toHaveLength(1);
    expect(server.bytesSent()).toBe(FILE.length);

    const again = await cache().fetch(request);
    expect(again.fromCache).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('keeps a shared download going while one of the two callers cancels', async () => {
    server = await startTricklingServer();
    const c = cache();
    const request = { url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length };
    const leaving = new AbortController();
    const first = c.fetch({ ...request, signal: leaving.signal });
    const second = c.fetch(request);
    setTimeout(() => leaving.abort(), 10);
    expect((await failure(first)).code).toBe('ZUC-6012');
    expect((await second).fromCache).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('starts a fresh transfer for a caller that comes after everyone else cancelled, resuming the kept bytes', async () => {
    server = await startLoopbackServer(async (req, res, send) => {
      const start = await serveRange(req, res, send, FILE, ETAG);
      for (let i = start; i < FILE.length && !res.destroyed; i += 16 * 1024) {
        await send(FILE.subarray(i, Math.min(FILE.length, i + 16 * 1024)));
        // Slow enough that progress (every 250 ms) reports mid-way.
        await new Promise((r) => setTimeout(r, 30));
      }
      res.end();
    });
    const c = cache();
    const request = { url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length };
    const leaving = new AbortController();
    const first = c.fetch({ ...request, signal: leaving.signal, onProgress: (p) => p.receivedBytes >= 64 * 1024 && leaving.abort() });
    expect((await failure(first)).code).toBe('ZUC-6012');
    const later = await c.fetch(request);
    expect(Buffer.compare(await fs.readFile(later.path), FILE)).toBe(0);
    expect(later.stats?.resumedFromBytes).toBeGreaterThanOrEqual(64 * 1024);
    expect(server.requests[1]!.headers.range).toBe(`bytes=${later.stats!.resumedFromBytes}-`);
  });

  it('imports a local file only when it has the announced hash', async () => {
    const file = path.join(dir, 'fw.zup');
    await fs.writeFile(file, FILE);
    const c = cache();
    const wrong = await failure(c.importFile({ file, sha256: 'a'.repeat(64), size: FILE.length }));
    expect(wrong.code).toBe('ZUC-6001');
    const got = await c.importFile({ file, sha256: FILE_SHA, size: FILE.length });
    expect(Buffer.compare(await fs.readFile(got.path), FILE)).toBe(0);
  });
});
