import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_STALE_MS } from './cache-lock';
import { startLoopbackServer, type LoopbackServer } from './loopback-server';
import { PackageCache } from './package-cache';

const FILE = new Uint8Array(randomBytes(32 * 1024));
const FILE_SHA = createHash('sha256').update(FILE).digest('hex');

let dir: string;
let server: LoopbackServer;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zuc-lock-'));
  server = await startLoopbackServer(async (_req, res, send) => {
    res.writeHead(200, { 'content-length': String(FILE.length) });
    await send(FILE);
    res.end();
  });
});
afterEach(async () => {
  await server.close();
  await fs.rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has already exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('cache entries shared between console processes', () => {
  it('waits while another live process writes the entry, then uses its file without downloading', async () => {
    const cache = new PackageCache(path.join(dir, 'cache'));
    await fs.mkdir(cache.dir, { recursive: true });
    const lock = `${cache.pathOf(FILE_SHA)}.lock`;
    // This test process stands in for the other console: alive, holding the lock.
    await fs.writeFile(lock, String(process.pid));
    const waiting = cache.fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length });
    await new Promise((r) => setTimeout(r, 300));
    await fs.writeFile(cache.pathOf(FILE_SHA), FILE);
    await fs.rm(lock);
    expect(await waiting).toMatchObject({ fromCache: true, path: cache.pathOf(FILE_SHA) });
    expect(server.requests).toHaveLength(0);
  });

  it('takes over the lock of a process that died, or of one untouched for too long', async () => {
    const cache = new PackageCache(path.join(dir, 'cache'));
    await fs.mkdir(cache.dir, { recursive: true });
    const lock = `${cache.pathOf(FILE_SHA)}.lock`;
    await fs.writeFile(lock, String(deadPid()));
    expect(await cache.fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length })).toMatchObject({ fromCache: false });
    await expect(fs.stat(lock)).rejects.toThrow();

    const other = new PackageCache(path.join(dir, 'other'));
    await fs.mkdir(other.dir, { recursive: true });
    const oldLock = `${other.pathOf(FILE_SHA)}.lock`;
    await fs.writeFile(oldLock, String(process.pid));
    const past = new Date(Date.now() - LOCK_STALE_MS - 1_000);
    await fs.utimes(oldLock, past, past);
    expect(await other.fetch({ url: server.url('/fw.zup'), sha256: FILE_SHA, size: FILE.length })).toMatchObject({ fromCache: false });
  });
});
