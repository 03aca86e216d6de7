// Boots the bundled desktop app (.build/desktop layout) without an Electron
// runtime: the built main.mjs runs against the Electron fakes, and forks
// the built engine-host.mjs as a real Node process. Catches what only the
// bundle can get wrong: externals that do not resolve, paths between the
// bundle's files, module format.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUNDLE_FILES, desktopPaths } from '../electron/main/bundle-layout';
import { callChannel } from '../electron/shared/rpc/ipc-channels';
import { bundle, desktopTargets } from './build-desktop';

const electron = vi.hoisted(() => ({ current: null as Record<string, unknown> | null }));
// The factory runs when the bundle first imports 'electron', after the test filled `current`.
vi.mock('electron', () => electron.current!);

const root = path.resolve(import.meta.dirname, '..');
let tmp: string;
let appDir: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zuc-desktop-bundle-'));
  // Inside the repository like .build/desktop: the bundle finds its native externals in node_modules.
  await mkdir(path.join(root, '.build'), { recursive: true });
  appDir = await mkdtemp(path.join(root, '.build', 'desktop-test-'));
  for (const target of desktopTargets(root)) {
    if (target.fileName !== BUNDLE_FILES.preload) await bundle(root, appDir, target);
  }
  await mkdir(path.join(appDir, BUNDLE_FILES.rendererDir), { recursive: true });
  await writeFile(path.join(appDir, BUNDLE_FILES.rendererDir, 'index.html'), '<!doctype html><title>console</title>');
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
  await rm(appDir, { recursive: true, force: true });
});

describe('bundled desktop app', () => {
  it('starts, runs the bundled engine host in its own process and answers the window', async () => {
    const { fakeElectron } = await import('../electron/main/fake-electron');
    const { NodeUtilityProcess } = await import('../electron/main/node-utility-process');
    const fakes = fakeElectron(() => {});
    const utility = new NodeUtilityProcess({ ...process.env, ZUC_DATA_DIR: path.join(tmp, 'data') });
    electron.current = { ...fakes, utilityProcess: utility };

    await import(pathToFileURL(path.join(appDir, BUNDLE_FILES.main)).href);

    await expect.poll(() => fakes.BrowserWindow.created.length).toBe(1);
    const window = fakes.BrowserWindow.created[0]!;
    const paths = desktopPaths(appDir);
    expect(window.options.webPreferences.preload).toBe(paths.preloadPath);
    expect(window.loaded).toEqual([paths.indexHtmlPath]);
    expect(utility.children.map((c) => c.process.spawnargs.at(-1))).toEqual([paths.engineEntryPath]);

    const reply = await fakes.ipcMain.invoke(window.webContents.invokeEvent(), callChannel('getSnapshot'), { t: 'call', id: 1, method: 'getSnapshot', request: {} });
    expect(reply).toEqual({ t: 'ok', id: 1, value: { devices: [], jobs: [] } });

    fakes.app.quit();
    await expect.poll(() => fakes.app.quitCount, { timeout: 10_000 }).toBe(1);
    expect(utility.children[0]!.process.exitCode).toBe(0);
  }, 60_000);
});
