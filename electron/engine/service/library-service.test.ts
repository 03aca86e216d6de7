import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LibraryEntry, StoredSettings } from '../../shared/contract';
import { E } from '../../shared/errors';
import { PackageCache } from '../download';
import { startLoopbackServer, type LoopbackServer } from '../download/loopback-server';
import { generateKeyPair, packFull, REVOCATION_LIST_FILE, writeKeyPair } from '../package';
import { sampleImage, sampleInput } from '../package/package-fixtures';
import { FirmwareLibrary, HttpCatalog } from '../sources';
import { startDdiTestServer } from '../sources/hawkbit/ddi-test-server';
import { HawkbitDeployments } from '../update/hawkbit-update';
import { buildFirmwareSet, writeLibrary, type FirmwareSet } from '../sources/source-fixtures';
import { closedPort } from '../test-kit';
import { libraryService, type LibraryService } from './library-service';

const FAST = { limits: { retryBaseDelayMs: 5, retryMaxDelayMs: 20, maxAttemptsWithoutProgress: 1 } };

let dir: string;
let set: FirmwareSet;
let server: LoopbackServer;
let libraryDir: string;
let trustDir: string;
let cache: PackageCache;
let configured: StoredSettings['sources'];
let sources: (FirmwareLibrary | HttpCatalog)[];
let service: LibraryService;

/** A copy of a package with one byte changed: damage a download or a copy could do. */
function flipByte(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at]! ^= 0xff;
  return copy;
}

function row(entries: LibraryEntry[], location: string): LibraryEntry {
  const found = entries.find((e) => e.location === location);
  if (!found) throw new Error(`no row ${location} in ${entries.map((e) => e.location).join(', ')}`);
  return found;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zuc-libview-'));
  set = await buildFirmwareSet(32 * 1024);
  server = await startLoopbackServer((req, res) => {
    if (req.url === '/fleet/index.json') {
      const index = {
        format: 'zuc-catalog',
        formatVersion: 1,
        packages: [
          { packageId: 'mf286d-b04', url: 'p/mf286d-b04.zup', size: set.b04.bytes.length, sha256: set.b04.sha256, type: 'full', models: ['MF286D'], hwRevisions: ['A1'], version: 'B04', securityVersion: 3, releaseNotes: 'From the catalog.' },
          { packageId: 'mf286d-b03-b04', url: 'p/delta.zup', size: set.delta.bytes.length, sha256: set.delta.sha256, type: 'delta', models: ['MF286D'], hwRevisions: ['A1'], version: 'B04', baseVersion: 'B03', baseSha256: set.oldImageSha256 },
        ],
      };
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(index));
    }
    res.writeHead(404).end();
  });
});

beforeEach(async () => {
  await fs.rm(path.join(dir, 'run'), { recursive: true, force: true });
  libraryDir = path.join(dir, 'run', 'library');
  trustDir = path.join(dir, 'run', 'trust');
  await writeLibrary(libraryDir, set);
  await writeKeyPair(trustDir, set.key);
  // A trust store holds public keys only.
  await fs.rm(path.join(trustDir, 'signing.key.pem'));
  cache = PackageCache.inDataDir(path.join(dir, 'run', 'data'), { ...FAST });
  sources = [new FirmwareLibrary(libraryDir, cache), new HttpCatalog(server.url('/fleet/index.json'), cache, { download: FAST })];
  configured = [];
  service = libraryService({ sources: () => sources, configured: () => configured, trustStore: () => trustDir, cache, catalogTimeoutMs: 3_000 });
});

afterAll(async () => {
  await server.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the firmware library listing', () => {
  it('lists every package of the library and the catalog with model, version, type, base and size, judged against the trust store', async () => {
    const { sources: states, packages, importFolder } = await service.listPackages();
    expect(importFolder).toBe(libraryDir);
    expect(states.map((s) => [s.kind, s.state, s.packages])).toEqual([
      ['library', 'ok', 6],
      ['catalog', 'ok', 2],
    ]);
    const delta = row(packages, 'mf286d/deltas/mf286d-b03-b04.zup');
    expect(delta).toMatchObject({ type: 'delta', version: 'B04', baseVersion: 'B03', baseSha256: set.oldImageSha256, models: ['MF286D'], hwRevisions: ['A1', 'A2'], size: set.delta.bytes.length });
    expect(delta.signature).toEqual({ status: 'trusted', signers: [{ keyId: set.key.keyId, status: 'trusted' }], error: null });
    expect(row(packages, 'broken-copy.zup').signature).toMatchObject({ status: 'invalid', error: { code: E.PACKAGE_TRUNCATED.code } });
    expect(row(packages, 'readme.zup').signature.error?.code).toBe(E.PACKAGE_NOT_A_PACKAGE.code);
    // Not downloaded yet: a catalog package's signature is checked when it is.
    expect(row(packages, 'mf286d-b04').signature.status).toBe('unchecked');
    expect(row(packages, 'mf286d-b03-b04')).toMatchObject({ sourceKind: 'catalog', type: 'delta', baseVersion: 'B03' });
  });

  it('judges a catalog package from the cache once it was downloaded', async () => {
    await fs.mkdir(cache.dir, { recursive: true });
    await fs.writeFile(cache.pathOf(set.b04.sha256), set.b04.bytes);
    const { packages } = await service.listPackages();
    expect(row(packages, 'mf286d-b04').signature.status).toBe('trusted');
  });

  it('says untrusted, revoked or unsigned with the key id, and invalid for a damaged payload', async () => {
    const stranger = generateKeyPair();
    const image = sampleImage(4096);
    const pack = (id: string, keys: (typeof stranger)[]) => packFull({ keys, manifest: sampleInput({ packageId: id }), images: [{ name: 'firmware', image, encoding: 'raw' }] }).bytes;
    await fs.writeFile(path.join(libraryDir, 'stranger.zup'), pack('stranger', [stranger]));
    await fs.writeFile(path.join(libraryDir, 'unsigned.zup'), pack('unsigned', []));
    const good = pack('damaged', [set.key]);
    await fs.writeFile(path.join(libraryDir, 'damaged.zup'), flipByte(good, good.length - 10));
    let { packages } = await service.listPackages();
    expect(row(packages, 'stranger.zup').signature).toMatchObject({ status: 'untrusted', signers: [{ keyId: stranger.keyId, status: 'unknown' }], error: { code: E.PACKAGE_UNTRUSTED_KEY.code } });
    expect(row(packages, 'unsigned.zup').signature).toMatchObject({ status: 'unsigned', signers: [], error: { code: E.PACKAGE_UNSIGNED.code } });
    expect(row(packages, 'damaged.zup').signature).toMatchObject({ status: 'invalid', error: { code: E.PACKAGE_PAYLOAD_CORRUPT.code } });

    // Revoking the key in the trust store changes the verdict at the next listing.
    await fs.writeFile(path.join(trustDir, REVOCATION_LIST_FILE), `${set.key.keyId}\n`);
    ({ packages } = await service.listPackages());
    expect(row(packages, 'mf286d/mf286d-b04.zup').signature).toMatchObject({ status: 'revoked', error: { code: E.PACKAGE_KEY_REVOKED.code } });
  });

  it('keeps listing the other sources when one is down, showing its code', async () => {
    sources = [new FirmwareLibrary(path.join(dir, 'nowhere'), cache), ...sources, new HttpCatalog(server.url('/missing/index.json'), cache, { download: FAST })];
    configured = [{ kind: 'hawkbit', url: 'https://hawkbit.example', tenant: 'DEFAULT', tokenKind: 'gateway', poll: false }];
    const { sources: states, packages } = await service.listPackages();
    expect(states.map((s) => [s.kind, s.state, s.error?.code ?? null])).toEqual([
      ['library', 'failed', E.LIBRARY_UNREADABLE.code],
      ['library', 'ok', null],
      ['catalog', 'ok', null],
      ['catalog', 'failed', E.DOWNLOAD_NOT_FOUND.code],
      // Saved without a token: it could not sign in.
      ['hawkbit', 'failed', E.BACKEND_CONFIG.code],
    ]);
    expect(packages).toHaveLength(8);
  });
});

describe('a package’s details', () => {
  it('shows every manifest field, partitions with encodings and hashes, and the signers', async () => {
    const details = await service.getPackageDetails({ source: `library:${libraryDir}`, location: 'mf286d/deltas/mf286d-b03-b04.zup' });
    expect(details.manifest).toMatchObject({ packageId: 'mf286d-b03-b04', type: 'delta', version: 'B04', baseVersion: 'B03', securityVersion: 3, models: ['MF286D'], hwRevisions: ['A1', 'A2'] });
    const [partition] = details.manifest!.partitions;
    expect(partition).toMatchObject({ name: 'firmware', encoding: 'delta', sourceSha256: set.oldImageSha256 });
    expect(partition!.payloadSize).toBeLessThan(partition!.size);
    expect(details.fileSha256).toBe(set.delta.sha256);
    expect(details.entry.signature.signers).toEqual([{ keyId: set.key.keyId, status: 'trusted' }]);
  });

  it('shows a catalog package by its index entry until it is downloaded', async () => {
    const details = await service.getPackageDetails({ source: `catalog:${server.url('/fleet/index.json')}`, location: 'mf286d-b04' });
    expect(details).toMatchObject({ manifest: null, securityVersion: 3, releaseNotes: 'From the catalog.', fileSha256: set.b04.sha256 });
  });

  it('refuses a package that is not there with its code', async () => {
    await expect(service.getPackageDetails({ source: `library:${libraryDir}`, location: 'gone.zup' })).rejects.toMatchObject({ code: E.LIBRARY_PACKAGE_NOT_FOUND.code });
    await expect(service.getPackageDetails({ source: `library:${libraryDir}`, location: 'broken-copy.zup' })).rejects.toMatchObject({ code: E.PACKAGE_TRUNCATED.code });
  });
});

describe('importing a package file', () => {
  async function libraryFiles(): Promise<string[]> {
    return (await fs.readdir(libraryDir, { recursive: true })).map(String).sort();
  }

  it('copies a verified package into the library under its id, where the library offers it', async () => {
    const b05 = packFull({ keys: [set.key], manifest: sampleInput({ packageId: 'mf286d-b05', models: ['MF286D'], hwRevisions: ['A1'], version: 'B05' }), images: [{ name: 'firmware', image: sampleImage(8192), encoding: 'brotli' }] }).bytes;
    const imported = await service.importPackage({ name: 'download (3).zup', data: b05 });
    expect(imported).toMatchObject({ alreadyPresent: false, entry: { location: 'mf286d-b05.zup', version: 'B05', signature: { status: 'trusted' } } });
    expect(new Uint8Array(await fs.readFile(path.join(libraryDir, 'mf286d-b05.zup')))).toEqual(b05);
    const offers = await sources[0]!.findUpdates({ model: 'MF286D', hwRevision: 'A1', firmwareVersion: 'B04' });
    expect(offers.map((o) => o.packageId)).toContain('mf286d-b05');
    // The same file again changes nothing.
    expect((await service.importPackage({ name: 'again.zup', data: b05 })).alreadyPresent).toBe(true);
  });

  it('refuses damaged, untrusted and clashing packages with their code and writes nothing', async () => {
    const before = await libraryFiles();
    const good = packFull({ keys: [set.key], manifest: sampleInput({ packageId: 'fresh' }), images: [{ name: 'firmware', image: sampleImage(4096), encoding: 'raw' }] }).bytes;
    const refusals: [string, Uint8Array, string][] = [
      ['truncated', good.subarray(0, good.length - 5), E.PACKAGE_TRUNCATED.code],
      ['payload', flipByte(good, good.length - 3), E.PACKAGE_PAYLOAD_CORRUPT.code],
      ['text', new TextEncoder().encode('not a package'), E.PACKAGE_NOT_A_PACKAGE.code],
      ['stranger', packFull({ keys: [generateKeyPair()], manifest: sampleInput({ packageId: 'fresh' }), images: [{ name: 'firmware', image: sampleImage(4096), encoding: 'raw' }] }).bytes, E.PACKAGE_UNTRUSTED_KEY.code],
      ['same id, other file', packFull({ keys: [set.key], manifest: sampleInput({ packageId: 'mf286d-b04' }), images: [{ name: 'firmware', image: sampleImage(4096), encoding: 'raw' }] }).bytes, E.LIBRARY_DUPLICATE_PACKAGE.code],
    ];
    for (const [name, data, code] of refusals) {
      await expect(service.importPackage({ name, data }), name).rejects.toMatchObject({ code });
    }
    expect(await libraryFiles()).toEqual(before);
  });

  it('needs a library folder in the settings', async () => {
    sources = sources.filter((s) => s instanceof HttpCatalog);
    await expect(service.importPackage({ name: 'x.zup', data: set.b04.bytes })).rejects.toMatchObject({ code: E.LIBRARY_NOT_CONFIGURED.code });
  });
});

describe('hawkBit servers in the listing', () => {
  const TOKEN = 'gw-Library4Listing2Token';

  it('lists what each server deployed for each identified terminal, and a server that is down or has no token with its code', async () => {
    const ddi = await startDdiTestServer({ gatewayToken: TOKEN });
    try {
      ddi.assign('SN-0001', { version: 'B04', artifacts: [{ filename: 'mf286d-b04.zup', bytes: set.b04.bytes }] });
      const server = (baseUrl: string) => new HawkbitDeployments({ baseUrl, tenant: ddi.tenant, auth: { kind: 'gateway', token: TOKEN } }, cache);
      const live = server(ddi.url);
      const down = server(`http://127.0.0.1:${await closedPort()}`);
      const terminals = [
        { serial: 'SN-0001', model: 'MF286D', hwRevision: 'A1' },
        { serial: 'SN-0002', model: 'MF286D', hwRevision: 'A1' },
      ];
      const withHawkbit = libraryService({
        sources: () => [live, down],
        configured: () => [{ kind: 'hawkbit', url: 'https://no-token.example', tenant: 'DEFAULT', tokenKind: 'gateway', poll: false }],
        terminals: () => terminals,
        trustStore: () => trustDir,
        cache,
        catalogTimeoutMs: 3_000,
      });
      const { sources: states, packages } = await withHawkbit.listPackages();
      expect(states.map((s) => [s.source, s.state, s.packages, s.error?.code ?? null])).toEqual([
        [live.name, 'ok', 1, null],
        [down.name, 'failed', 0, E.BACKEND_UNREACHABLE.code],
        ['hawkbit:https://no-token.example/DEFAULT', 'failed', 0, E.BACKEND_CONFIG.code],
      ]);
      expect(packages).toEqual([
        expect.objectContaining({ source: live.name, location: 'SN-0001/mf286d-b04.zup', sourceKind: 'hawkbit', assignedTo: 'SN-0001', models: ['MF286D'], version: 'B04', size: set.b04.bytes.length, signature: { status: 'unchecked', signers: [], error: null } }),
      ]);
      const details = await withHawkbit.getPackageDetails({ source: live.name, location: 'SN-0001/mf286d-b04.zup' });
      expect(details).toMatchObject({ manifest: null, entry: { version: 'B04', assignedTo: 'SN-0001' } });
      // Looking installs nothing: the action is still open, no feedback was sent.
      expect(ddi.feedback).toEqual([]);

      // No terminal identified yet: nothing to ask the server about.
      terminals.splice(0);
      expect((await withHawkbit.listPackages()).sources[0]).toMatchObject({ source: live.name, state: 'per-terminal', packages: 0, error: null });
    } finally {
      await ddi.close();
    }
  });
});
