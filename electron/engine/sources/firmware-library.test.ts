import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageCache } from '../download';
import { chooseRoute, compareVersions } from './choose-route';
import { findAllUpdates } from './find-all-updates';
import { HttpCatalog } from './http-catalog';
import { FirmwareLibrary } from './firmware-library';
import { indexLibrary } from './library-index';
import { buildFirmwareSet, sha256Of, writeLibrary, type FirmwareSet } from './source-fixtures';

let dir: string;
let libraryDir: string;
let set: FirmwareSet;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zuc-lib-'));
  libraryDir = path.join(dir, 'library');
  set = await buildFirmwareSet();
  await writeLibrary(libraryDir, set);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('firmware library index', () => {
  it('lists good packages by manifest, refuses broken ones with their code, ignores other files', async () => {
    const index = await indexLibrary(libraryDir);
    expect(index.packages.map((p) => [p.relativePath, p.manifest.version, p.manifest.type])).toEqual([
      ['mf286d/deltas/mf286d-b03-b04.zup', 'B04', 'delta'],
      ['mf286d/mf286d-b03.zup', 'B03', 'full'],
      ['mf286d/mf286d-b04.zup', 'B04', 'full'],
      ['mf971r-b02.zup', 'B02', 'full'],
    ]);
    expect(index.packages[0]!.baseSha256).toBe(set.oldImageSha256);
    expect(index.packages[1]!.keyIds).toEqual([set.key.keyId]);
    expect(index.refused.map((r) => [r.relativePath, r.error.code])).toEqual([
      ['broken-copy.zup', 'ZUC-5007'],
      ['readme.zup', 'ZUC-5005'],
    ]);
    expect(index.ignored).toEqual(['RELEASE-NOTES.txt']);
  });

  it('refuses a library folder that does not exist', async () => {
    await expect(indexLibrary(path.join(dir, 'nowhere'))).rejects.toMatchObject({ code: 'ZUC-6020' });
  });
});

describe('firmware library as an update source', () => {
  it('offers a terminal on B03 the full B04 and the delta from its slot, and the route takes the delta', async () => {
    const library = new FirmwareLibrary(libraryDir, PackageCache.inDataDir(path.join(dir, 'data-a')));
    const terminal = { model: 'MF286D', hwRevision: 'A2', firmwareVersion: 'B03', activeSlotSha256: set.oldImageSha256 };
    const offers = await library.findUpdates(terminal);
    expect(offers.map((o) => [o.packageId, o.type, o.sha256])).toEqual([
      ['mf286d-b03-b04', 'delta', set.delta.sha256],
      ['mf286d-b04', 'full', set.b04.sha256],
    ]);
    const route = chooseRoute(offers, terminal)!;
    expect(route.offer.packageId).toBe('mf286d-b03-b04');
    expect(route.full?.packageId).toBe('mf286d-b04');
    expect(route.bytesSaved).toBe(set.b04.bytes.length - set.delta.bytes.length);
    expect(route.bytesSaved).toBeGreaterThan(0);

    const file = await route.offer.fetch();
    expect(sha256Of(await fs.readFile(file))).toBe(set.delta.sha256);
    expect(path.basename(file)).toBe(set.delta.sha256);
  });

  it('offers no delta to a terminal whose slot is not the delta base, and nothing of another model', async () => {
    const library = new FirmwareLibrary(libraryDir, PackageCache.inDataDir(path.join(dir, 'data-b')));
    const modified = { model: 'MF286D', hwRevision: 'A1', firmwareVersion: 'B03', activeSlotSha256: 'f'.repeat(64) };
    const offers = await library.findUpdates(modified);
    expect(offers.map((o) => o.packageId)).toEqual(['mf286d-b04']);
    expect(chooseRoute(offers, modified)).toMatchObject({ offer: { packageId: 'mf286d-b04' }, bytesSaved: 0 });

    expect((await library.findUpdates({ model: 'MF971R', hwRevision: 'A1', firmwareVersion: 'B01' })).map((o) => o.packageId)).toEqual(['mf971r-b02']);
    expect(await library.findUpdates({ model: 'MF286D', hwRevision: 'C9', firmwareVersion: 'B03' })).toEqual([]);
  });

  it('refuses to hand over a library file replaced after it was offered', async () => {
    const copyDir = path.join(dir, 'library-copy');
    await fs.mkdir(copyDir);
    await fs.writeFile(path.join(copyDir, 'b04.zup'), set.b04.bytes);
    const library = new FirmwareLibrary(copyDir, PackageCache.inDataDir(path.join(dir, 'data-c')));
    const [offer] = await library.findUpdates({ model: 'MF286D', hwRevision: 'A1', firmwareVersion: 'B03' });
    const tampered = set.b04.bytes.slice();
    tampered[tampered.length - 1]! ^= 0xff;
    await fs.writeFile(path.join(copyDir, 'b04.zup'), tampered);
    await expect(offer!.fetch()).rejects.toMatchObject({ code: 'ZUC-6021' });
  });
});

describe('route choice and several sources', () => {
  it('takes the newest version unless another is asked for, and nothing when the terminal is current', async () => {
    const library = new FirmwareLibrary(libraryDir, PackageCache.inDataDir(path.join(dir, 'data-d')));
    const onB02 = { model: 'MF286D', hwRevision: 'A1', firmwareVersion: 'B02' };
    const offers = await library.findUpdates(onB02);
    expect(chooseRoute(offers, onB02)).toMatchObject({ offer: { packageId: 'mf286d-b04', type: 'full' }, bytesSaved: 0 });
    expect(chooseRoute(offers, onB02, { targetVersion: 'B03' })).toMatchObject({ offer: { packageId: 'mf286d-b03' } });
    const current = { ...onB02, firmwareVersion: 'B04' };
    expect(chooseRoute(await library.findUpdates(current), current)).toBeUndefined();
  });

  it('orders versions with numbers as numbers', () => {
    expect(['B10', 'B9', 'B09a', 'V1.2.10', 'V1.2.9'].sort(compareVersions)).toEqual(['B9', 'B09a', 'B10', 'V1.2.9', 'V1.2.10']);
  });

  it('still offers the library when a catalog cannot be reached', async () => {
    const cache = PackageCache.inDataDir(path.join(dir, 'data-e'));
    const offline = new HttpCatalog('http://127.0.0.1:9/index.json', cache, { download: { limits: { maxAttemptsWithoutProgress: 1 } } });
    const found = await findAllUpdates([new FirmwareLibrary(libraryDir, cache), offline], { model: 'MF971R', hwRevision: 'A2', firmwareVersion: 'B01' });
    expect(found.offers.map((o) => o.packageId)).toEqual(['mf971r-b02']);
    expect(found.failures).toEqual([{ source: 'catalog:http://127.0.0.1:9/index.json', error: expect.objectContaining({ code: 'ZUC-6011' }) }]);
  });
});
