// The desktop shell end to end without an Electron runtime: the page's
// window.zuc (the real preload bridge) → IPC → main's router → the engine
// utility process (the real host and engine, in this process) and back.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../electron/engine';
import { desktopPaths } from '../electron/main/bundle-layout';
import { startDesktopApp } from '../electron/main/desktop-app';
import { fakeElectron, fakeIpcRenderer } from '../electron/main/fake-electron';
import { bootRealEngine } from '../electron/main/real-engine-boot';
import { consoleApi, type BridgedError } from '../electron/preload/console-bridge';
import type { ConsoleService, DeviceView } from '../electron/shared/contract';
import { E } from '../electron/shared/errors';

let tmp: string;
let engines: Engine[];
let fakes: ReturnType<typeof fakeElectron>;
let zuc: ConsoleService;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zuc-desktop-ipc-'));
  engines = [];
  fakes = fakeElectron(bootRealEngine(tmp, engines));
  await startDesktopApp(fakes.electron, desktopPaths('/opt/zuc')).ready;
  zuc = consoleApi(fakeIpcRenderer(fakes.ipcMain, fakes.BrowserWindow.created[0]!.webContents));
});

afterEach(async () => {
  fakes.app.quit();
  await expect.poll(() => fakes.app.quitCount).toBe(1);
  await Promise.all(engines.map((e) => e.close()));
  await rm(tmp, { recursive: true, force: true });
});

describe('window.zuc in the desktop shell', () => {
  it('reads the snapshot and the error catalog from the engine', async () => {
    expect(await zuc.getSnapshot({})).toEqual({ devices: [], jobs: [] });
    expect((await zuc.listErrors({})).map((e) => e.code)).toContain(E.BAD_REQUEST.code);
  });

  it('hands image bytes to the engine intact', async () => {
    const data = new Uint8Array(4096).map((_, i) => (i * 31) & 255);
    const staged = await zuc.stageImage({ name: 'MF286D_B12.bin', data });
    expect(staged).toMatchObject({ name: 'MF286D_B12.bin', size: 4096, sha256: createHash('sha256').update(data).digest('hex') });
  });

  it('refuses a malformed request with a catalogued error the page can show', async () => {
    const reason = (await zuc.addDevice({ address: '' }).catch((e: unknown) => e)) as BridgedError;
    expect(reason).toMatchObject({ code: E.BAD_REQUEST.code, title: E.BAD_REQUEST.title, remedy: E.BAD_REQUEST.remedy });
  });

  it('streams device changes to the page, and after an engine crash tells it what the new engine knows', async () => {
    const changed: DeviceView[] = [];
    const removed: string[] = [];
    zuc.onDeviceChanged((d) => changed.push(d));
    zuc.onDeviceRemoved((r) => removed.push(r.address));
    const address = 'tcp://127.0.0.1:9';
    await zuc.addDevice({ address }).catch(() => undefined);
    await expect.poll(() => changed.some((d) => d.address === address)).toBe(true);

    const inFlight = zuc.listHistory({});
    fakes.utilityProcess.latest.exit(139);
    await expect(inFlight).rejects.toMatchObject({ code: E.INTERNAL.code, detail: expect.stringContaining('exit code 139') });
    await expect.poll(() => removed).toEqual([address]);
    expect(await zuc.getSnapshot({})).toEqual({ devices: [], jobs: [] });
  });
});
