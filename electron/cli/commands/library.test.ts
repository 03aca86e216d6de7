import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageCache } from '../../engine/download';
import { startLoopbackServer } from '../../engine/download/loopback-server';
import { HttpCatalog } from '../../engine/sources';
import { buildFirmwareSet, sha256Of, writeLibrary, type FirmwareSet } from '../../engine/sources/source-fixtures';
import { zuc } from './cli-test-kit';

let dir: string;
let set: FirmwareSet;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zuc-cli-lib-'));
  set = await buildFirmwareSet();
  await writeLibrary(path.join(dir, 'library'), set);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('zuc library index', () => {
  it('shows per model what the library offers, and the refused files with their codes', async () => {
    const run = await zuc(['library', 'index', 'library'], { dataDir: path.join(dir, 'data'), cwd: dir });
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    const mf286d = lines.indexOf('MF286D');
    const mf971r = lines.indexOf('MF971R');
    expect(mf286d).toBeGreaterThan(0);
    expect(mf971r).toBeGreaterThan(mf286d);
    const section = lines.slice(mf286d + 1, mf971r - 1);
    expect(section).toHaveLength(3);
    expect(section[0]).toMatch(new RegExp(`^ {2}B04 +hw A1,A2 +full .*keys ${set.key.keyId}  mf286d/mf286d-b04.zup$`));
    expect(section[1]).toMatch(new RegExp(`B04 .*delta from B03 \\(base ${set.oldImageSha256.slice(0, 12)}…\\).*mf286d/deltas/mf286d-b03-b04.zup$`));
    expect(section[2]).toMatch(/B03 .*full .*mf286d\/mf286d-b03.zup$/);
    expect(run.stdout).toMatch(/broken-copy\.zup {2}ZUC-5007 /);
    expect(run.stdout).toMatch(/readme\.zup {2}ZUC-5005 /);
    expect(run.stdout).not.toContain('RELEASE-NOTES');
  });

  it('prints the index as JSON', async () => {
    const run = await zuc(['library', 'index', path.join(dir, 'library'), '--json'], { dataDir: path.join(dir, 'data') });
    const report = JSON.parse(run.stdout) as { packages: { packageId: string; type: string; size: number; keyIds: string[]; baseSha256?: string }[]; refused: { file: string; code: string }[]; ignored: string[] };
    expect(report.packages.find((p) => p.packageId === 'mf286d-b03-b04')).toMatchObject({ type: 'delta', baseSha256: set.oldImageSha256, size: set.delta.bytes.length, keyIds: [set.key.keyId] });
    expect(report.refused).toEqual([expect.objectContaining({ file: 'broken-copy.zup', code: 'ZUC-5007' }), expect.objectContaining({ file: 'readme.zup', code: 'ZUC-5005' })]);
    expect(report.ignored).toEqual(['RELEASE-NOTES.txt']);
  });

  it('exits 0 for a clean library, and reports a missing folder with its code', async () => {
    const clean = path.join(dir, 'clean');
    await fs.mkdir(clean);
    await fs.writeFile(path.join(clean, 'b04.zup'), set.b04.bytes);
    expect(await zuc(['library', 'index', clean], { dataDir: path.join(dir, 'data') })).toMatchObject({ status: 0 });
    const missing = await zuc(['library', 'index', path.join(dir, 'nowhere')], { dataDir: path.join(dir, 'data') });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('ZUC-6020');
    expect((await zuc(['library', 'list'], { dataDir: path.join(dir, 'data') })).status).toBe(2);
  });
});

describe('zuc library catalog', () => {
  it('writes an index that an HTTP catalog serves from the library folder as it is', async () => {
    const published = path.join(dir, 'published');
    await fs.mkdir(path.join(published, 'mf286d'), { recursive: true });
    await fs.writeFile(path.join(published, 'mf286d', 'B04 full.zup'), set.b04.bytes);
    await fs.writeFile(path.join(published, 'mf286d', 'b03-b04.zup'), set.delta.bytes);
    const run = await zuc(['library', 'catalog', 'published'], { dataDir: path.join(dir, 'data'), cwd: dir });
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toContain('2 package(s)');

    const web = await startLoopbackServer(async (req, res) => {
      const file = path.join(published, decodeURIComponent(new URL(req.url!, 'http://x').pathname.replace(/^\/fw\//, '')));
      const bytes = await fs.readFile(file).catch(() => undefined);
      if (!bytes) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': String(bytes.length) }).end(bytes);
    });
    try {
      const catalog = new HttpCatalog(web.url('/fw/index.json'), PackageCache.inDataDir(path.join(dir, 'data')));
      const terminal = { model: 'MF286D', hwRevision: 'A1', firmwareVersion: 'B03', activeSlotSha256: set.oldImageSha256 };
      const offers = await catalog.findUpdates(terminal);
      // Entries follow the files' order in the folder: b03-b04.zup, then B04 full.zup.
      expect(offers.map((o) => [o.packageId, o.type])).toEqual([
        ['mf286d-b03-b04', 'delta'],
        ['mf286d-b04', 'full'],
      ]);
      expect(sha256Of(await fs.readFile(await offers.find((o) => o.type === 'full')!.fetch()))).toBe(set.b04.sha256);
      expect(web.requests.map((r) => r.path)).toContain('/fw/mf286d/B04%20full.zup');
    } finally {
      await web.close();
    }
  });

  it('writes nothing while a file in the library is refused', async () => {
    const run = await zuc(['library', 'catalog', 'library', '--out', 'index.json'], { dataDir: path.join(dir, 'data'), cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('broken-copy.zup  ZUC-5007');
    await expect(fs.stat(path.join(dir, 'index.json'))).rejects.toThrow();
  });
});
