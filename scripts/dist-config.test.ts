// The packaging configuration, checked the way electron-builder reads it:
// its own loader and schema, and its own file matchers applied to a real
// desktop build. `npm run dist` itself needs downloads this machine lacks.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Configuration } from 'app-builder-lib';
import { BUNDLE_FILES } from '../electron/main/bundle-layout';
import { build as viteBuild } from 'vite';
import { bundle, copyRenderer, desktopTargets, RUNTIME_EXTERNALS } from './build-desktop';
import { DIST_CONFIG_PATH, loadDistConfig, packagedAppFiles, packagedModuleFiles, unpackedFromAsar, validateDistConfig } from './dist-config';

const root = path.resolve(import.meta.dirname, '..');
const BUILD_TIMEOUT_MS = 180_000;

describe('electron-builder configuration', () => {
  it('passes electron-builder’s own schema validation', async () => {
    await expect(loadDistConfig(root)).resolves.toMatchObject({ appId: 'com.zte.updateconsole', productName: 'ZTE Update Console' });
  });

  it('is rejected by that validation when a key is misspelt, so the check has teeth', async () => {
    const config = await loadDistConfig(root);
    await expect(validateDistConfig({ ...config, linux: { ...config.linux, targt: ['deb'] } } as Configuration)).rejects.toThrow(/does not match the API schema[\s\S]*configuration\.linux/);
  });

  it('builds AppImage and deb for Linux, NSIS for Windows and dmg for macOS', async () => {
    const config = await loadDistConfig(root);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
  });

  it('starts the app from the bundle build-desktop writes', async () => {
    const config = await loadDistConfig(root);
    expect(config.extraMetadata?.main).toBe(`.build/desktop/${BUNDLE_FILES.main}`);
  });

  it('puts the udev rules into the deb under /usr/lib/udev/rules.d from a file that exists', async () => {
    const config = await loadDistConfig(root);
    const mappings = (config.deb?.fpm ?? []).map((arg) => arg.split('='));
    const rules = mappings.find(([, target]) => target?.startsWith('/usr/lib/udev/rules.d/'));
    expect(rules, 'a deb fpm mapping into /usr/lib/udev/rules.d').toBeDefined();
    expect(path.basename(rules![1]!)).toBe(path.basename(rules![0]!));
    expect(existsSync(path.join(root, rules![0]!))).toBe(true);
  });

  it('is the file named by DIST_CONFIG_PATH, which electron-builder would not find on its own', () => {
    expect(existsSync(path.join(root, DIST_CONFIG_PATH))).toBe(true);
  });
});

describe('packaged files', () => {
  // A project root of its own, with the real package.json and node_modules,
  // the real desktop build, and files that must never ship planted beside it.
  let project: string;
  let config: Configuration;
  let files: string[];

  beforeAll(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), 'zuc-dist-files-'));
    await writeFile(path.join(project, 'package.json'), await readFile(path.join(root, 'package.json')));
    await symlink(path.join(root, 'node_modules'), path.join(project, 'node_modules'), 'dir');
    await mkdir(path.join(project, 'build'), { recursive: true });
    await writeFile(path.join(project, DIST_CONFIG_PATH), await readFile(path.join(root, DIST_CONFIG_PATH)));
    // The real renderer, built into the scratch project: renderer/dist is rewritten by other runs meanwhile.
    const rendererDist = path.join(project, 'renderer-dist');
    await viteBuild({ root: path.join(root, 'renderer'), logLevel: 'warn', build: { outDir: rendererDist, emptyOutDir: true } });
    const appDir = path.join(project, '.build', 'desktop');
    for (const target of desktopTargets(root)) await bundle(root, appDir, target);
    await copyRenderer(rendererDist, appDir);
    const plant = async (relative: string, content = 'x') => {
      await mkdir(path.dirname(path.join(project, relative)), { recursive: true });
      await writeFile(path.join(project, relative), content);
    };
    await plant('.env', 'HAWKBIT_TOKEN=secret');
    await plant('.env.local', 'HAWKBIT_TOKEN=secret');
    await plant(path.join(path.relative(project, appDir), '.env'), 'HAWKBIT_TOKEN=secret');
    await plant('.build/desktop/keys/release-signing.pem');
    await plant('.build/desktop/signing.key');
    await plant('.build/desktop/main.test.mjs');
    await plant('.build/desktop/renderer/assets/app.spec.js');
    await plant('.build/desktop/node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    await plant('.zuc-demo/history.sqlite');
    await plant('.build/desktop/.zuc-demo/history.sqlite');
    await plant('electron/main/index.ts');
    config = await loadDistConfig(project);
    files = await packagedAppFiles(project, config);
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('holds main, preload, engine host, the renderer page and its assets', () => {
    for (const name of [BUNDLE_FILES.main, BUNDLE_FILES.preload, BUNDLE_FILES.engineHost, BUNDLE_FILES.deltaWorker, `${BUNDLE_FILES.rendererDir}/index.html`]) {
      expect(files).toContain(`.build/desktop/${name}`);
    }
    const assets = files.filter((f) => f.startsWith(`.build/desktop/${BUNDLE_FILES.rendererDir}/assets/`));
    expect(assets.some((f) => f.endsWith('.js'))).toBe(true);
    expect(assets.some((f) => f.endsWith('.css'))).toBe(true);
    expect(files).toContain('package.json');
  });

  it('holds nothing but the bundle and package.json: no sources, tests, source maps, secrets or data', () => {
    expect(files.filter((f) => f !== 'package.json' && !f.startsWith('.build/desktop/'))).toEqual([]);
    expect(files.filter((f) => /\.map$|\.(test|spec)\.|(^|\/)\.env|\.(pem|key)$|\.zuc-demo|\/node_modules\//.test(f))).toEqual([]);
  });

  it('ships the native modules with their binaries, unpacked from app.asar', async () => {
    const sqlite = await packagedModuleFiles(project, config, 'better-sqlite3');
    expect(sqlite).toContain('node_modules/better-sqlite3/package.json');
    const sqliteBinary = sqlite.find((f) => f.endsWith('/better_sqlite3.node'));
    expect(sqliteBinary).toBeDefined();
    expect(unpackedFromAsar(project, config, sqliteBinary!)).toBe(true);

    const serial = await packagedModuleFiles(project, config, '@serialport/bindings-cpp');
    const serialBinary = serial.find((f) => f.includes(`/prebuilds/${process.platform}-${process.arch}/`) && f.endsWith('.node'));
    expect(serialBinary).toBeDefined();
    expect(unpackedFromAsar(project, config, serialBinary!)).toBe(true);

    expect(await packagedModuleFiles(project, config, 'usb')).toContain('node_modules/usb/package.json');
    expect(await packagedModuleFiles(project, config, 'debug'), 'serialport loads debug').toContain('node_modules/debug/package.json');
    expect(unpackedFromAsar(project, config, 'node_modules/@node-usb/usb-linux-x64-gnu/usb.linux-x64-gnu.node')).toBe(true);
    expect(unpackedFromAsar(project, config, `.build/desktop/${BUNDLE_FILES.main}`)).toBe(false);
  });

  it('ships every module the bundle leaves external, and none of those it bundled', async () => {
    for (const name of RUNTIME_EXTERNALS.filter((n) => n !== 'electron')) {
      expect(await packagedModuleFiles(project, config, name), name).toContain(`node_modules/${name}/package.json`);
    }
    for (const name of ['react', 'react-dom', 'zustand', 'zod', 'ws', 'tsx', 'esbuild']) {
      expect(await packagedModuleFiles(project, config, name), name).toEqual([]);
    }
  });
});
