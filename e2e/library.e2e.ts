import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLoopbackServer, type LoopbackServer } from '../electron/engine/download/loopback-server';
import { startDdiTestServer, type DdiTestServer } from '../electron/engine/sources/hawkbit/ddi-test-server';
import { generateKeyPair, packFull, type SigningKey } from '../electron/engine/package';
import { baseImageOf, buildFleetLibrary } from '../electron/engine/update/fleet-fixtures';
import { sha256Of } from '../electron/engine/sources/source-fixtures';
import { E } from '../electron/shared/errors';
import { t } from '../renderer/i18n/en';
import { zhCN } from '../renderer/i18n/zh-CN';
import { startBench, type Bench } from './bench';
import { useConsolePage } from './spec-harness';

const TERMINAL = { model: 'MF286D', hwRevision: 'V1.0', serial: 'LIB286D0001', version: '1.2.0', faults: [] as string[] };
const MODEL = { model: TERMINAL.model, hwRevision: TERMINAL.hwRevision };
/** A second model, published only in the HTTP catalog. */
const CATALOG_MODEL = { model: 'MC801A', hwRevision: 'V1.1' };
const HAWKBIT_TOKEN = 'gw-E2e4Library7Token';

let root: string;
let libraryDir: string;
let release: SigningKey;
let lab: SigningKey;
let catalog: LoopbackServer;
let hawkbit: DdiTestServer;

function pack(key: SigningKey[], version: string, packageId: string): Uint8Array {
  const manifest = { packageId, models: [MODEL.model], hwRevisions: [MODEL.hwRevision], version, securityVersion: 3, releaseNotes: `${MODEL.model} ${version}`, createdAt: '2026-11-28T15:40:00.000Z' };
  return packFull({ keys: key, manifest, images: [{ name: 'firmware', image: baseImageOf(MODEL, version) }] }).bytes;
}

async function writeFileIn(name: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(root, 'uploads', name);
  await writeFile(file, bytes);
  return file;
}

function row(packageId: string) {
  return app.page.locator(`table.library-table tr[data-package="${packageId}"]`);
}

async function libraryFiles(): Promise<string[]> {
  return (await readdir(libraryDir, { recursive: true })).map(String).sort();
}

/** A bench whose console reads a library folder, two HTTP catalogs (one down) and a hawkBit server. */
async function startLibraryBench(): Promise<Bench> {
  root = await mkdtemp(path.join(os.tmpdir(), 'zuc-e2e-library-'));
  libraryDir = path.join(root, 'library');
  await mkdir(path.join(root, 'uploads'), { recursive: true });
  release = generateKeyPair();
  lab = generateKeyPair();
  // The terminal's version, its next one and the delta between them, signed by the release key the console trusts.
  await buildFleetLibrary(libraryDir, { key: release, models: [MODEL], baseVersions: [TERMINAL.version], target: '1.3.0' });
  await mkdir(path.join(libraryDir, 'lab'), { recursive: true });
  await writeFile(path.join(libraryDir, 'lab', 'mf286d-rc-lab.zup'), pack([lab], '1.3.1-rc1', 'mf286d-1.3.1-rc1-lab'));
  await writeFile(path.join(libraryDir, 'lab', 'mf286d-rc-unsigned.zup'), pack([], '1.3.1-rc1', 'mf286d-1.3.1-rc1-unsigned'));

  const catalogPackage = packFull({
    keys: [release],
    manifest: { packageId: 'mc801a-3.2.0', models: [CATALOG_MODEL.model], hwRevisions: [CATALOG_MODEL.hwRevision], version: '3.2.0', securityVersion: 2, createdAt: '2026-11-28T15:40:00.000Z' },
    images: [{ name: 'firmware', image: baseImageOf(CATALOG_MODEL, '3.2.0') }],
  }).bytes;
  const index = {
    format: 'zuc-catalog',
    formatVersion: 1,
    packages: [{ packageId: 'mc801a-3.2.0', url: 'mc801a-3.2.0.zup', size: catalogPackage.length, sha256: sha256Of(catalogPackage), type: 'full', models: [CATALOG_MODEL.model], hwRevisions: [CATALOG_MODEL.hwRevision], version: '3.2.0', securityVersion: 2 }],
  };
  // One catalog that answers and one whose index is gone: the second is listed as down, with its code.
  catalog = await startLoopbackServer((req, res) => {
    if (req.url === '/fleet/index.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(index));
    res.writeHead(404).end();
  });
  // hawkBit has deployed a release to the bench's terminal.
  hawkbit = await startDdiTestServer({ gatewayToken: HAWKBIT_TOKEN });
  hawkbit.assign(TERMINAL.serial, { version: '1.3.0', artifacts: [{ filename: 'MF286D_1.3.0.zup', bytes: pack([release], '1.3.0', 'mf286d-1.3.0') }] });
  const settings = {
    sources: [
      { kind: 'library', folder: libraryDir },
      { kind: 'catalog', url: catalog.url('/fleet/index.json') },
      { kind: 'catalog', url: catalog.url('/retired/index.json') },
      { kind: 'hawkbit', url: hawkbit.url, tenant: hawkbit.tenant, tokenKind: 'gateway', token: HAWKBIT_TOKEN },
    ],
  };
  return startBench([TERMINAL], {
    prepareDataDir: async (dataDir) => {
      await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify(settings));
      await mkdir(path.join(dataDir, 'trust'), { recursive: true });
      await writeFile(path.join(dataDir, 'trust', 'release.pem'), release.publicKey.export({ format: 'pem', type: 'spki' }).toString());
    },
  });
}

const app = useConsolePage({
  failedShotPrefix: 'library',
  bench: startLibraryBench,
  async ready() {
    await app.page.getByRole('navigation', { name: t.nav.label }).getByRole('button', { name: t.nav.library }).click();
    await app.page.locator('main[data-screen="library"]').waitFor();
  },
  async close() {
    await catalog?.close();
    await hawkbit?.close();
    if (root) await rm(root, { recursive: true, force: true });
  },
});

describe('the Firmware library screen', () => {
  it('lists every source’s packages with type, base and signature status, and a source that is down with its code', async () => {
    await app.page.getByTestId('library-count').filter({ hasText: t.library.count(7, 7) }).waitFor();

    const full = row('mf286d-1.3.0');
    expect(await full.getByTestId('signature-status').textContent()).toBe(t.library.status.trusted);
    expect(await full.getByTestId('key-id').textContent()).toBe(t.library.keyId(release.keyId));
    const delta = row('mf286d-1.3.0-from-1.2.0');
    expect(await delta.getByTestId('package-type').textContent()).toContain(t.library.deltaFrom('1.2.0'));
    expect(await row('mf286d-1.3.1-rc1-lab').getByTestId('signature-status').textContent()).toBe(t.library.status.untrusted);
    expect(await row('mf286d-1.3.1-rc1-lab').getByTestId('key-id').textContent()).toBe(t.library.keyId(lab.keyId));
    expect(await row('mf286d-1.3.1-rc1-unsigned').getByTestId('signature-status').textContent()).toBe(t.library.status.unsigned);
    // A catalog package is verified once downloaded.
    expect(await row('mc801a-3.2.0').getByTestId('signature-status').textContent()).toBe(t.library.status.unchecked);

    const sources = app.page.getByRole('list', { name: t.library.sourcesLabel });
    expect(await sources.locator('[data-state="ok"]').count()).toBe(3);
    // What hawkBit deployed for the bench's terminal, verified when it is downloaded.
    const deployed = row('MF286D_1.3.0.zup');
    expect(await deployed.textContent()).toContain(t.library.assignedTo(TERMINAL.serial));
    expect(await deployed.getByTestId('signature-status').textContent()).toBe(t.library.status.unchecked);
    const down = sources.locator('[data-state="failed"]');
    expect(await down.getByTestId('source-code').textContent()).toBe(E.DOWNLOAD_NOT_FOUND.code);
    expect(app.problems).toEqual([]);
  });

  it('filters by model and by words', async () => {
    const count = app.page.getByTestId('library-count');
    await app.page.getByLabel(t.library.model, { exact: true }).selectOption(CATALOG_MODEL.model);
    await count.filter({ hasText: t.library.count(1, 7) }).waitFor();
    await app.page.getByLabel(t.library.model, { exact: true }).selectOption('');
    await app.page.getByLabel(t.library.search).fill(lab.keyId);
    await count.filter({ hasText: t.library.count(1, 7) }).waitFor();
    expect(await app.page.locator('table.library-table tbody tr').getAttribute('data-package')).toBe('mf286d-1.3.1-rc1-lab');
    await app.page.getByRole('button', { name: t.library.clear }).click();
    await count.filter({ hasText: t.library.count(7, 7) }).waitFor();
  });

  it('imports a verified package file into the library, where updates find it', async () => {
    const file = await writeFileIn('download.zup', pack([release], '1.4.0', 'mf286d-1.4.0'));
    await app.page.getByLabel(t.library.importFile).setInputFiles(file);
    await app.page.getByTestId('import-result').filter({ hasText: t.library.imported('mf286d-1.4.0', '1.4.0') }).waitFor();
    await row('mf286d-1.4.0').waitFor();
    expect(await row('mf286d-1.4.0').getAttribute('class')).toContain('just-imported');
    expect(await row('mf286d-1.4.0').getByTestId('signature-status').textContent()).toBe(t.library.status.trusted);
    expect(await libraryFiles()).toContain('mf286d-1.4.0.zup');
    await app.page.getByTestId('library-count').filter({ hasText: t.library.count(8, 8) }).waitFor();
    await app.shot('library.png');

    // The terminal on 1.2.0 is now offered the imported 1.4.0.
    const nav = app.page.getByRole('navigation', { name: t.nav.label });
    await nav.getByRole('button', { name: t.nav.terminals }).click();
    await app.page.getByRole('checkbox', { name: t.updates.selectAll }).check();
    await app.page.getByRole('button', { name: t.updates.check }).click();
    await app.page.getByTestId('available-update').filter({ hasText: `1.4.0 · ${t.updates.full}` }).waitFor();
    await nav.getByRole('button', { name: t.nav.library }).click();
    await row('mf286d-1.4.0').waitFor();
  });

  it('refuses a corrupted file with its code, cause and remedy, and adds nothing', async () => {
    const before = await libraryFiles();
    const good = pack([release], '1.5.0', 'mf286d-1.5.0');
    const file = await writeFileIn('cut-short.zup', good.subarray(0, good.length - 4096));
    await app.page.getByLabel(t.library.importFile).setInputFiles(file);
    const result = app.page.getByTestId('import-result').filter({ hasText: t.library.refused('cut-short.zup') });
    await result.waitFor();
    expect(await result.locator('.inline-error code').textContent()).toBe(E.PACKAGE_TRUNCATED.code);
    expect(await result.textContent()).toContain(E.PACKAGE_TRUNCATED.remedy);
    expect(await result.getByTestId('import-cause').textContent()).toBe(E.PACKAGE_TRUNCATED.cause);
    expect(await libraryFiles()).toEqual(before);
    expect(await row('mf286d-1.5.0').count()).toBe(0);
    await app.shot('library-import-refused.png');
  });

  it('takes a package dropped on the screen: one signed by an unknown key is refused with its code', async () => {
    const before = await libraryFiles();
    const bytes = JSON.stringify([...pack([lab], '1.5.0', 'mf286d-1.5.0-lab')]);
    // A file dragged from the desktop, as the page receives it.
    const transfer = await app.page.evaluateHandle(`(() => { const t = new DataTransfer(); t.items.add(new File([new Uint8Array(${bytes})], 'dropped.zup')); return t; })()`);
    const screen = app.page.locator('section.library');
    await screen.dispatchEvent('dragover', { dataTransfer: transfer });
    await app.page.locator('.library-drop').filter({ hasText: t.library.dropHere }).waitFor();
    await screen.dispatchEvent('drop', { dataTransfer: transfer });
    const result = app.page.getByTestId('import-result').filter({ hasText: t.library.refused('dropped.zup') });
    await result.waitFor();
    expect(await result.locator('.inline-error code').textContent()).toBe(E.PACKAGE_UNTRUSTED_KEY.code);
    expect(await libraryFiles()).toEqual(before);
  });

  it('opens a package’s manifest from the keyboard: every field, partitions with encodings and hashes, signers', async () => {
    await row('mf286d-1.3.0-from-1.2.0').getByRole('button', { name: t.library.detailsLabel('mf286d-1.3.0-from-1.2.0') }).focus();
    await app.page.keyboard.press('Enter');
    const dialog = app.page.getByRole('dialog', { name: t.manifest.heading('mf286d-1.3.0-from-1.2.0') });
    await dialog.locator('[data-fact="fileSha256"]').filter({ hasText: /^[0-9a-f]{64}$/ }).waitFor();
    expect(await dialog.locator('[data-fact="packageId"]').textContent()).toBe('mf286d-1.3.0-from-1.2.0');
    expect(await dialog.locator('[data-fact="baseVersion"]').textContent()).toBe('1.2.0');
    expect(await dialog.locator('[data-fact="securityVersion"]').textContent()).toBe('3');
    const partition = dialog.locator('tr[data-partition="firmware"]');
    expect(await partition.textContent()).toContain(t.manifest.encoding.delta);
    expect(await partition.textContent()).toContain(sha256Of(baseImageOf(MODEL, TERMINAL.version)));
    expect(await dialog.locator(`li[data-key-id="${release.keyId}"]`).textContent()).toContain(t.manifest.signer.trusted);
    expect(await dialog.locator('.release-notes').textContent()).toBe(`${MODEL.model} 1.3.0`);
    await app.shot('library-details.png', { fullPage: false });
    await app.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(app.problems).toEqual([]);
  });

  it('reads in Simplified Chinese and in the dark theme', async () => {
    const nav = app.page.getByRole('navigation', { name: t.nav.label });
    await nav.getByRole('button', { name: t.nav.settings }).click();
    await app.page.getByLabel(t.settings.language).selectOption('zh-CN');
    const zhNav = app.page.getByRole('navigation', { name: zhCN.nav.label });
    await zhNav.getByRole('button', { name: zhCN.nav.library }).click();
    await app.page.getByRole('heading', { name: zhCN.library.heading, level: 2 }).waitFor();
    expect(await row('mf286d-1.3.0').getByTestId('signature-status').textContent()).toBe(zhCN.library.status.trusted);
    await app.shot('library-zh-CN.png');
    await zhNav.getByRole('button', { name: zhCN.nav.settings }).click();
    await app.page.getByLabel(zhCN.settings.language).selectOption('en');
    await nav.getByRole('button', { name: t.nav.library }).click();
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await row('mf286d-1.3.0').waitFor();
    await app.shot('library-dark.png');
    await app.page.emulateMedia({ colorScheme: 'light' });
  });
});
