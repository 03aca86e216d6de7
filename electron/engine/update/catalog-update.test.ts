import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import { startLoopbackServer, type LoopbackServer } from '../download/loopback-server';
import { generateKeyPair } from '../package';
import { buildCatalogIndex, HttpCatalog, indexLibrary, type CatalogEntry, type CatalogIndex } from '../sources';
import { addFleetPackage, FLEET_MODELS } from './fleet-fixtures';
import { fleetLibrary, startFleet, updateEngine, updateService } from './update-test-kit';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves a library folder over real HTTP on loopback, with an index the test may rewrite. */
async function serveCatalog(dir: string, rewrite: (index: CatalogIndex) => CatalogIndex = (i) => i): Promise<{ url: string; packageBytesSent: () => number }> {
  const index = rewrite(await buildCatalogIndex(await indexLibrary(dir)));
  server = await startLoopbackServer(async (req, res, send) => {
    if (req.url === '/fleet/index.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(index));
    const name = decodeURIComponent((req.url ?? '').replace(/^\/fleet\//, ''));
    if (name.includes('/') || !name.endsWith('.zup')) return void res.writeHead(404).end();
    const bytes = await readFile(path.join(dir, name)).catch(() => null);
    if (!bytes) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': String(bytes.length) });
    await send(bytes);
    res.end();
  });
  const s = server;
  return { url: s.url('/fleet/index.json'), packageBytesSent: () => s.requests.filter((r) => r.path.endsWith('.zup')).reduce((n, r) => n + r.bytesSent, 0) };
}

function replaceEntry(index: CatalogIndex, packageId: string, change: (entry: CatalogEntry) => CatalogEntry): CatalogIndex {
  return { ...index, packages: index.packages.map((e) => (e.packageId === packageId ? change(e) : e)) };
}

describe('updating from an HTTP catalog over loopback', () => {
  it('downloads each model’s package once over HTTP and installs it on every terminal of that model', async () => {
    const library = await fleetLibrary();
    const catalog = await serveCatalog(library.dir);
    const fleet = await startFleet(4, ['B01']);
    const { engine, dataDir } = await updateEngine();
    const service = updateService(engine, dataDir, (cache) => [new HttpCatalog(catalog.url, cache)], 4);

    const reports = await service.updateAll(fleet.map((m) => m.terminal.address));

    expect(reports.map((r) => [r.result, r.package, r.delta])).toEqual(fleet.map((m) => ['success', library.fullId(m.model.model), false]));
    expect(reports[0]!.source).toBe(`catalog:${catalog.url}`);
    for (const { terminal } of fleet) expect(terminal.inspect().slots[terminal.inspect().activeSlot].version).toBe('B03');
    // Four terminals of three models: three downloads, the fourth terminal's package came from the cache.
    const sizes = await Promise.all(['MF286D', 'MC801A', 'MU5001'].map(async (m) => (await readFile(path.join(library.dir, `${m}_B03.zup`))).length));
    expect(catalog.packageBytesSent()).toBe(sizes.reduce((a, b) => a + b, 0));
  });

  it('refuses an entry that points at another model’s package with its catalogued code after download, and writes nothing', async () => {
    const library = await fleetLibrary();
    const real = await buildCatalogIndex(await indexLibrary(library.dir));
    const other = real.packages.find((e) => e.packageId === library.fullId('MC801A'))!;
    const catalog = await serveCatalog(library.dir, (index) => replaceEntry(index, library.fullId('MF286D'), (e) => ({ ...e, url: other.url, size: other.size, sha256: other.sha256 })));
    const [member] = await startFleet(1, ['B01']);
    const { engine, dataDir } = await updateEngine();
    const service = updateService(engine, dataDir, (cache) => [new HttpCatalog(catalog.url, cache)]);

    const report = await service.update(member!.terminal.address);

    expect(report).toMatchObject({ result: 'failed', code: E.CATALOG_WRONG_MODEL.code, bytesSent: 0, package: library.fullId('MF286D') });
    expect(report.stages.find((s) => s.name === 'download')?.status).toBe('failed');
    expect(member!.terminal.inspect()).toMatchObject({ payloadBytesReceived: 0, activeSlot: 'a', slots: { a: { version: 'B01' } } });
    expect((await engine.listHistory({}))[0]).toMatchObject({ code: E.CATALOG_WRONG_MODEL.code, serial: member!.terminal.serial });
  });

  it('refuses a package whose bytes do not hash as the index says with ZUC-6001, and writes nothing', async () => {
    const library = await fleetLibrary();
    const catalog = await serveCatalog(library.dir, (index) => replaceEntry(index, library.fullId('MF286D'), (e) => ({ ...e, sha256: 'ab'.repeat(32) })));
    const [member] = await startFleet(1, ['B01']);
    const { engine, dataDir } = await updateEngine();
    const service = updateService(engine, dataDir, (cache) => [new HttpCatalog(catalog.url, cache)]);

    const report = await service.update(member!.terminal.address);

    expect(report).toMatchObject({ result: 'failed', code: E.DOWNLOAD_HASH_MISMATCH.code, bytesSent: 0 });
    expect(member!.terminal.inspect().payloadBytesReceived).toBe(0);
  });

  it('keeps offering a newer package signed by an unknown key (judged only once downloaded); verify then refuses it and writes nothing', async () => {
    const library = await fleetLibrary();
    const untrusted = await addFleetPackage(library.dir, FLEET_MODELS[0]!, 'B04', [generateKeyPair()]);
    const catalog = await serveCatalog(library.dir);
    const [member] = await startFleet(1, ['B01']);
    const { engine, dataDir } = await updateEngine();
    await engine.updateSettings({ sources: [{ kind: 'catalog', url: catalog.url }] });

    const check = await engine.checkForUpdates({ address: member!.terminal.address });
    expect(check).toMatchObject({ route: { packageId: untrusted, version: 'B04' }, skipped: [] });

    const service = updateService(engine, dataDir, (cache) => [new HttpCatalog(catalog.url, cache)]);
    const report = await service.update(member!.terminal.address);
    expect(report).toMatchObject({ result: 'failed', code: E.PACKAGE_UNTRUSTED_KEY.code, package: untrusted, bytesSent: 0 });
    expect(report.stages.find((s) => s.name === 'download')?.status).toBe('done');
    expect(member!.terminal.inspect().payloadBytesReceived).toBe(0);
  });

  it('names the source’s own failure when the only catalog is down', async () => {
    const [member] = await startFleet(1, ['B01']);
    const { engine, dataDir } = await updateEngine();
    const service = updateService(engine, dataDir, (cache) => [new HttpCatalog('http://127.0.0.1:9/index.json', cache, { download: { limits: { retryBaseDelayMs: 1, retryMaxDelayMs: 2, maxAttemptsWithoutProgress: 1 } } })]);
    const report = await service.update(member!.terminal.address);
    expect(report.result).toBe('failed');
    expect(report.code).toMatch(/^ZUC-6/);
    expect(report.code).not.toBe(E.UPDATE_SOURCES_FAILED.code);
    expect(member!.terminal.inspect().payloadBytesReceived).toBe(0);
  });
});
