import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PackageCache } from '../download';
import { startLoopbackServer, type LoopbackServer } from '../download/loopback-server';
import type { CatalogEntry } from './catalog-schema';
import { chooseRoute } from './choose-route';
import { HttpCatalog } from './http-catalog';
import { buildFirmwareSet, sha256Of, type BuiltPackage, type FirmwareSet } from './source-fixtures';

let dir: string;
let set: FirmwareSet;
let server: LoopbackServer | undefined;
/** What the server answers: the index text, and package bytes by path. */
let indexText = '';
const files = new Map<string, Uint8Array>();

const FAST = { limits: { retryBaseDelayMs: 5, retryMaxDelayMs: 20, maxAttemptsWithoutProgress: 2 } };
const ON_B03 = () => ({ model: 'MF286D', hwRevision: 'A1', firmwareVersion: 'B03', activeSlotSha256: set.oldImageSha256 });

function entry(pkg: BuiltPackage, fields: Partial<CatalogEntry> & Pick<CatalogEntry, 'version'>): CatalogEntry {
  return { packageId: pkg.packageId, url: `packages/${pkg.packageId}.zup`, size: pkg.bytes.length, sha256: pkg.sha256, type: 'full', models: ['MF286D'], hwRevisions: ['A1', 'A2'], ...fields } as CatalogEntry;
}

function publish(entries: CatalogEntry[]): void {
  indexText = JSON.stringify({ format: 'zuc-catalog', formatVersion: 1, generatedAt: '2026-11-28T16:00:00.000Z', packages: entries });
}

function catalog(data: string): HttpCatalog {
  return new HttpCatalog(server!.url('/fleet/index.json'), PackageCache.inDataDir(path.join(dir, data)), { download: FAST });
}

function packageRequests(): number {
  return server!.requests.filter((r) => r.path.startsWith('/fleet/packages/')).length;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zuc-cat-'));
  set = await buildFirmwareSet();
  for (const pkg of [set.b03, set.b04, set.delta, set.otherModel]) files.set(`/fleet/packages/${pkg.packageId}.zup`, pkg.bytes);
  server = await startLoopbackServer(async (req, res, send) => {
    if (req.url === '/fleet/index.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(indexText);
    const bytes = files.get(req.url ?? '');
    if (!bytes) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': String(bytes.length) });
    // Sent in pieces with pauses, so concurrent fetches overlap for real.
    for (let i = 0; i < bytes.length; i += 16 * 1024) {
      await send(bytes.subarray(i, i + 16 * 1024));
      await new Promise((r) => setTimeout(r, 2));
    }
    res.end();
  });
});
afterEach(() => server!.requests.splice(0));
afterAll(async () => {
  await server?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('HTTP catalog', () => {
  it('offers the delta and the full package for the terminal, downloads the chosen one into the cache', async () => {
    publish([
      entry(set.b04, { version: 'B04' }),
      entry(set.delta, { version: 'B04', type: 'delta', baseVersion: 'B03', baseSha256: set.oldImageSha256 }),
      entry(set.otherModel, { version: 'B02', models: ['MF971R'] }),
    ]);
    const source = catalog('data-a');
    const offers = await source.findUpdates(ON_B03());
    expect(offers.map((o) => [o.packageId, o.type, o.source])).toEqual([
      ['mf286d-b04', 'full', `catalog:${server!.url('/fleet/index.json')}`],
      ['mf286d-b03-b04', 'delta', `catalog:${server!.url('/fleet/index.json')}`],
    ]);
    const route = chooseRoute(offers, ON_B03())!;
    expect(route.offer.packageId).toBe('mf286d-b03-b04');
    expect(route.bytesSaved).toBe(set.b04.bytes.length - set.delta.bytes.length);
    const progress: number[] = [];
    const file = await route.offer.fetch({ onProgress: (p) => progress.push(p.receivedBytes) });
    expect(sha256Of(await fs.readFile(file))).toBe(set.delta.sha256);
    expect(progress.at(-1)).toBe(set.delta.bytes.length);
  });

  it('downloads a package once when two terminals need it at the same time', async () => {
    publish([entry(set.b04, { version: 'B04' })]);
    const source = catalog('data-b');
    const [first] = await source.findUpdates(ON_B03());
    const [second] = await source.findUpdates({ ...ON_B03(), hwRevision: 'A2' });
    const [a, b] = await Promise.all([first!.fetch(), second!.fetch()]);
    expect(a).toBe(b);
    expect(packageRequests()).toBe(1);
    expect(server!.requests.filter((r) => r.path === '/fleet/index.json')).toHaveLength(1);
  });

  it('refuses an index that is not JSON', async () => {
    indexText = '<html><body>Please log in to the hotel Wi-Fi</body></html>';
    await expect(catalog('data-c').findUpdates(ON_B03())).rejects.toMatchObject({ code: 'ZUC-6022' });
  });

  it('refuses an index whose entry does not match the schema, naming the field', async () => {
    publish([entry(set.b04, { version: 'B04' }), { ...entry(set.b03, { version: 'B03' }), sha256: 'not-a-hash' }]);
    const err = await catalog('data-c').findUpdates(ON_B03()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ZUC-6023' });
    expect((err as Error).message).toContain('packages[1].sha256');

    publish([{ ...entry(set.b04, { version: 'B04' }), url: 'file:///etc/shadow' }]);
    await expect(catalog('data-c').findUpdates(ON_B03())).rejects.toMatchObject({ code: 'ZUC-6023' });
    indexText = JSON.stringify({ format: 'zuc-catalog', formatVersion: 2, packages: [] });
    await expect(catalog('data-c').findUpdates(ON_B03())).rejects.toMatchObject({ code: 'ZUC-6023' });
  });

  it('never offers an entry for another model, and refuses it when asked for explicitly, before downloading', async () => {
    publish([entry(set.otherModel, { version: 'B02', models: ['MF971R'] })]);
    const source = catalog('data-d');
    expect(await source.findUpdates(ON_B03())).toEqual([]);
    await expect(source.fetchPackage('mf971r-b02', ON_B03())).rejects.toMatchObject({ code: 'ZUC-6024' });
    expect(packageRequests()).toBe(0);
  });

  it('refuses a package whose own manifest is for another model even though its entry claims this one', async () => {
    publish([entry(set.otherModel, { version: 'B02', models: ['MF286D'] })]);
    const [offer] = await catalog('data-e').findUpdates(ON_B03());
    await expect(offer!.fetch()).rejects.toMatchObject({ code: 'ZUC-6024' });
  });

  it('refuses a package whose manifest disagrees with its entry', async () => {
    publish([entry(set.b04, { version: 'B05' })]);
    const [offer] = await catalog('data-f').findUpdates(ON_B03());
    await expect(offer!.fetch()).rejects.toMatchObject({ code: 'ZUC-6025' });
  });

  it('reports a wrong hash in the index as a hash mismatch', async () => {
    publish([{ ...entry(set.b04, { version: 'B04' }), sha256: set.b03.sha256, size: set.b04.bytes.length }]);
    const [offer] = await catalog('data-g').findUpdates(ON_B03());
    await expect(offer!.fetch()).rejects.toMatchObject({ code: 'ZUC-6001' });
  });

  it('fetches the index again once it is older than its maximum age', async () => {
    publish([entry(set.b04, { version: 'B04' })]);
    let clock = 0;
    const source = new HttpCatalog(server!.url('/fleet/index.json'), PackageCache.inDataDir(path.join(dir, 'data-j')), { download: FAST, indexMaxAgeMs: 1_000, now: () => clock });
    expect(await source.findUpdates(ON_B03())).toHaveLength(1);
    publish([entry(set.b04, { version: 'B04' }), entry(set.delta, { version: 'B04', type: 'delta', baseVersion: 'B03', baseSha256: set.oldImageSha256 })]);
    clock = 999;
    expect(await source.findUpdates(ON_B03())).toHaveLength(1);
    clock = 1_000;
    expect(await source.findUpdates(ON_B03())).toHaveLength(2);
  });

  it('reports a missing index as not found', async () => {
    const source = new HttpCatalog(server!.url('/nowhere/index.json'), PackageCache.inDataDir(path.join(dir, 'data-h')), { download: FAST });
    await expect(source.findUpdates(ON_B03())).rejects.toMatchObject({ code: 'ZUC-6005' });
  });
});

describe('HTTP catalog index limits', () => {
  it('refuses an index larger than any catalog, without holding it in memory', async () => {
    const huge = await startLoopbackServer(async (_req, res, send) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const block = new Uint8Array(256 * 1024).fill(0x20);
      for (let i = 0; i < 64 && !res.destroyed; i++) await send(block);
      res.end();
    });
    try {
      const source = new HttpCatalog(huge.url('/index.json'), PackageCache.inDataDir(path.join(dir, 'data-i')), { download: FAST });
      await expect(source.findUpdates(ON_B03())).rejects.toMatchObject({ code: 'ZUC-6003' });
      expect(huge.bytesSent()).toBeLessThan(64 * 256 * 1024);
    } finally {
      await huge.close();
    }
  });
});
