import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine';
import { APP_DIR_NAME } from '../engine/data-dir';
import { SHUTDOWN_REQUEST } from '../engine/host/control-message';
import { E } from '../shared/errors';
import { METHOD_NAMES } from '../shared/contract/service';
import { callChannel } from '../shared/rpc/ipc-channels';
import { desktopPaths } from './bundle-layout';
import { startDesktopApp } from './desktop-app';
import { ENGINE_RESTART_LIMIT } from './engine-process';
import { fakeElectron } from './fake-electron';
import { bootRealEngine } from './real-engine-boot';

const paths = desktopPaths('/opt/zuc');
let tmp: string;
let engines: Engine[];

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zuc-desktop-'));
  engines = [];
});
afterEach(async () => {
  await Promise.all(engines.map((e) => e.close()));
  await rm(tmp, { recursive: true, force: true });
});

describe('desktop app', () => {
  it('opens one sandboxed console window on the built page, with the engine in a utility process', async () => {
    const fakes = fakeElectron(bootRealEngine(tmp, engines));
    const desktop = startDesktopApp(fakes.electron, paths);
    expect(await desktop.ready).toBe(true);
    expect(fakes.app.name).toBe(APP_DIR_NAME);
    expect(fakes.app.sandboxed).toBe(true);
    const [window] = fakes.BrowserWindow.created;
    expect(fakes.BrowserWindow.created).toHaveLength(1);
    expect(window!.options.webPreferences).toMatchObject({ preload: paths.preloadPath, sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(window!.loaded).toEqual([paths.indexHtmlPath]);
    expect(fakes.utilityProcess.latest.modulePath).toBe(paths.engineEntryPath);
    expect(fakes.ipcMain.channels.sort()).toEqual(METHOD_NAMES.map(callChannel).sort());
    expect(fakes.Menu.applicationMenu?.map((m) => m.label)).toEqual(expect.arrayContaining(['Edit', 'View', 'Help']));
    fakes.app.quit();
  });

  it('locks down the window: no navigation, no new windows, no permissions', async () => {
    const fakes = fakeElectron(bootRealEngine(tmp, engines));
    await startDesktopApp(fakes.electron, paths).ready;
    const contents = fakes.BrowserWindow.created[0]!.webContents;
    expect(contents.navigate('https://evil.example/')).toBe(false);
    expect(contents.windowOpen('https://evil.example/')).toBe('deny');
    expect(await fakes.session.defaultSession.requestPermission('media')).toBe(false);
    expect(contents.mainFrame.url).toBe('file:///opt/zuc/renderer/index.html');
  });

  it('answers the console page and refuses another page, end to end', async () => {
    const fakes = fakeElectron(bootRealEngine(tmp, engines));
    await startDesktopApp(fakes.electron, paths).ready;
    const contents = fakes.BrowserWindow.created[0]!.webContents;
    const call = { t: 'call', id: 1, method: 'getSnapshot', request: {} };
    expect(await fakes.ipcMain.invoke(contents.invokeEvent(), callChannel('getSnapshot'), call)).toEqual({ t: 'ok', id: 1, value: { devices: [], jobs: [] } });
    contents.mainFrame.url = 'https://evil.example/';
    expect(await fakes.ipcMain.invoke(contents.invokeEvent(), callChannel('getSnapshot'), call)).toMatchObject({ t: 'err', error: { code: E.BAD_REQUEST.code } });
  });

  it('reloads the console page when its renderer process crashes', async () => {
    const fakes = fakeElectron(bootRealEngine(tmp, engines));
    await startDesktopApp(fakes.electron, paths).ready;
    const contents = fakes.BrowserWindow.created[0]!.webContents;
    contents.rendererGone('crashed', 139);
    expect(contents.reloads).toEqual(['file:///opt/zuc/renderer/index.html']);
    fakes.app.quit();
  });

  it('quits only after the engine closed its database', async () => {
    const fakes = fakeElectron(bootRealEngine(tmp, engines));
    await startDesktopApp(fakes.electron, paths).ready;
    const child = fakes.utilityProcess.latest;
    fakes.app.emit('window-all-closed');
    expect(fakes.app.quitCount).toBe(0);
    expect(child.received).toContainEqual(SHUTDOWN_REQUEST);
    await expect.poll(() => fakes.app.quitCount).toBe(1);
    expect(child.exited).toBe(true);
    expect(fakes.utilityProcess.children).toHaveLength(1);
  });

  it('does not start a second instance; the first one comes to the front', async () => {
    const first = fakeElectron(bootRealEngine(tmp, engines));
    await startDesktopApp(first.electron, paths).ready;
    first.app.emit('second-instance');
    expect(first.BrowserWindow.created[0]!.focused).toBe(true);

    const second = fakeElectron(bootRealEngine(tmp, engines));
    second.app.hasLock = false;
    expect(await startDesktopApp(second.electron, paths).ready).toBe(false);
    expect(second.app.quitCount).toBe(1);
    expect(second.BrowserWindow.created).toEqual([]);
    expect(second.utilityProcess.children).toEqual([]);
    first.app.quit();
  });

  it('tells the user with the catalogued error when the engine keeps crashing', async () => {
    const fakes = fakeElectron(bootRealEngine(tmp, engines));
    await startDesktopApp(fakes.electron, paths).ready;
    for (let crash = 0; crash <= ENGINE_RESTART_LIMIT; crash++) {
      fakes.utilityProcess.latest.exit(1);
      await expect.poll(() => fakes.utilityProcess.children.length > crash + 1 || fakes.dialog.errorBoxes.length > 0).toBe(true);
    }
    expect(fakes.dialog.errorBoxes).toHaveLength(1);
    const [box] = fakes.dialog.errorBoxes;
    expect(box!.title).toContain(E.INTERNAL.code);
    expect(box!.content).toContain(E.INTERNAL.remedy);
    fakes.app.quit();
    expect(fakes.app.quitCount).toBe(1);
  });
});
