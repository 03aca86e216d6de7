// The desktop shell around real flash jobs: the real engine host and engine
// (in this process, for the fake utility process), real simulated terminals
// over TCP, Electron's APIs injected as fakes that keep Electron's rules.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine';
import { imageFile, startTerminal } from '../engine/test-kit';
import type { JobView, MethodName } from '../shared/contract';
import { callChannel, eventChannel } from '../shared/rpc/ipc-channels';
import { desktopPaths } from './bundle-layout';
import { startDesktopApp, type DesktopOptions } from './desktop-app';
import { fakeElectron, type FakeBrowserWindow } from './fake-electron';
import { bootRealEngine } from './real-engine-boot';
import { WINDOW_STATE_FILE } from './window-state';

const paths = desktopPaths('/opt/zuc');
let tmp: string;
let engines: Engine[];

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zuc-shell-'));
  engines = [];
});
afterEach(async () => {
  await Promise.all(engines.map((e) => e.close()));
  await rm(tmp, { recursive: true, force: true });
});

async function startShell(options: DesktopOptions = {}) {
  const fakes = fakeElectron(bootRealEngine(path.join(tmp, 'data'), engines));
  fakes.app.userData = path.join(tmp, 'user-data');
  const desktop = startDesktopApp(fakes.electron, paths, () => {}, options);
  expect(await desktop.ready).toBe(true);
  const window = fakes.BrowserWindow.created.at(-1)!;
  let id = 0;
  const call = async <T>(method: MethodName, request: unknown): Promise<T> => {
    const reply = (await fakes.ipcMain.invoke(window.webContents.invokeEvent(), callChannel(method), { t: 'call', id: ++id, method, request })) as { t: string; value: T; error?: unknown };
    if (reply.t !== 'ok') throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
    return reply.value;
  };
  return { fakes, window, call };
}

function jobStates(window: FakeBrowserWindow): JobView['state']['kind'][] {
  return window.webContents.sent.filter((s) => s.channel === eventChannel('onJobChanged')).map((s) => (s.args[0] as { payload: JobView }).payload.state.kind);
}

async function flashAll(call: <T>(method: MethodName, request: unknown) => Promise<T>, addresses: string[], imageBytes: Uint8Array): Promise<void> {
  for (const address of addresses) await call('addDevice', { address });
  const staged = await call<{ id: string }>('stageImage', { name: 'MF286D_B02.bin', data: imageBytes });
  for (const address of addresses) await call('startFlash', { address, image: { kind: 'staged', id: staged.id } });
}

describe('desktop shell', () => {
  it('opens the window where it was last closed, maximized again, unless that place is off every display now', async () => {
    const first = await startShell();
    first.window.bounds = { x: 60, y: 40, width: 1500, height: 950 };
    first.window.maximize();
    first.window.close();
    expect(JSON.parse(await readFile(path.join(tmp, 'user-data', WINDOW_STATE_FILE), 'utf8'))).toEqual({ x: 60, y: 40, width: 1500, height: 950, maximized: true });
    first.fakes.app.quit();
    await expect.poll(() => first.fakes.app.quitCount).toBe(1);

    const second = await startShell();
    expect(second.window.options).toMatchObject({ x: 60, y: 40, width: 1500, height: 950 });
    expect(second.window.isMaximized()).toBe(true);
    second.window.close();
    second.fakes.app.quit();
    await expect.poll(() => second.fakes.app.quitCount).toBe(1);

    // The laptop without its external monitor: the saved place is gone, the defaults apply.
    const fakes = fakeElectron(bootRealEngine(path.join(tmp, 'data'), engines));
    fakes.app.userData = path.join(tmp, 'user-data');
    fakes.screen.displays = [{ workArea: { x: 2000, y: 0, width: 1366, height: 728 } }];
    await startDesktopApp(fakes.electron, paths).ready;
    const window = fakes.BrowserWindow.created[0]!;
    expect(window.options.x).toBeUndefined();
    expect(window.options).toMatchObject({ width: 1280, height: 800 });
    fakes.app.quit();
  });

  it('shows a batch’s progress on the dock, then a notification counting what succeeded', async () => {
    const terminals = [await startTerminal({ serial: 'SHELL0001', linkBytesPerSecond: 512 * 1024 }), await startTerminal({ serial: 'SHELL0002', linkBytesPerSecond: 512 * 1024 })];
    const { fakes, window, call } = await startShell({ platform: 'darwin', batchSettleMs: 300 });
    const image = await imageFile({ version: 'B02', payloadBytes: 384 * 1024 });

    await flashAll(call, terminals.map((t) => t.address), image.bytes);

    const Notification = fakes.Notification as unknown as { shown: { title: string; body: string }[] };
    await expect.poll(() => Notification.shown, { timeout: 30_000 }).toEqual([{ title: 'ZTE Update Console: batch finished', body: '2 jobs succeeded.' }]);
    const values = window.progress.map((p) => p.value);
    expect(values.some((v) => v > 0 && v < 1)).toBe(true);
    expect(values.at(-1)).toBe(-1);
    expect(window.progress.every((p) => p.mode === 'normal')).toBe(true);
    expect(fakes.app.badgeCounts).toContain(2);
    expect(fakes.app.badgeCounts.at(-1)).toBe(0);
    fakes.app.quit();
  }, 60_000);

  it('counts the jobs an engine crash cut off as failed, and clears the taskbar progress', async () => {
    const terminal = await startTerminal({ linkBytesPerSecond: 32 * 1024 });
    const { fakes, window, call } = await startShell({ batchSettleMs: 100 });
    await flashAll(call, [terminal.address], (await imageFile({ version: 'B02', payloadBytes: 512 * 1024 })).bytes);
    await expect.poll(() => jobStates(window).includes('installing'), { timeout: 20_000 }).toBe(true);

    fakes.utilityProcess.latest.exit(9);

    const Notification = fakes.Notification as unknown as { shown: { body: string }[] };
    await expect.poll(() => Notification.shown.map((n) => n.body), { timeout: 20_000 }).toEqual(['0 succeeded, 1 failed. Open the console to see why.']);
    expect(window.progress.at(-1)).toEqual({ value: -1, mode: 'normal' });
    expect(window.progress.some((p) => p.mode === 'error')).toBe(true);
    expect(fakes.utilityProcess.children).toHaveLength(2);
    // Nothing is left running: quitting does not ask.
    fakes.app.quit();
    await expect.poll(() => fakes.app.quitCount).toBe(1);
    expect(fakes.dialog.messageBoxes).toEqual([]);
  }, 60_000);

  it('asks before closing while a job runs: Stay keeps it running, Quit anyway stops it with the terminal on its old firmware', async () => {
    const terminal = await startTerminal({ linkBytesPerSecond: 32 * 1024 });
    const { fakes, window, call } = await startShell();
    await flashAll(call, [terminal.address], (await imageFile({ version: 'B02', payloadBytes: 512 * 1024 })).bytes);
    await expect.poll(() => jobStates(window).includes('installing'), { timeout: 20_000 }).toBe(true);

    window.close();
    await expect.poll(() => fakes.dialog.messageBoxes.length).toBe(1);
    expect(fakes.dialog.messageBoxes[0]).toMatchObject({ type: 'warning', message: '1 job is still running. Quit anyway?', buttons: ['Stay', 'Quit anyway'], defaultId: 0, cancelId: 0 });
    expect(window.isDestroyed()).toBe(false);
    // The quit shortcut asks too.
    fakes.app.quit();
    await expect.poll(() => fakes.dialog.messageBoxes.length).toBe(2);
    expect(fakes.app.quitCount).toBe(0);

    fakes.dialog.answers.push(1);
    window.close();
    await expect.poll(() => window.isDestroyed()).toBe(true);
    fakes.app.emit('window-all-closed');
    await expect.poll(() => fakes.app.quitCount, { timeout: 20_000 }).toBe(1);
    expect(fakes.dialog.messageBoxes).toHaveLength(3);
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' } } });
  }, 60_000);

  it('names its menu in the language chosen in the console’s settings', async () => {
    const { fakes, call } = await startShell();
    const labels = () => fakes.Menu.applicationMenu?.map((m) => m.label).filter(Boolean);
    expect(labels()).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    await call('updateSettings', { language: 'zh-CN' });
    await expect.poll(labels).toEqual(['文件', '编辑', '视图', '窗口', '帮助']);
    fakes.app.quit();
  });

  it('quits without asking when no job runs', async () => {
    const { fakes, window } = await startShell();
    window.close();
    fakes.app.emit('window-all-closed');
    await expect.poll(() => fakes.app.quitCount).toBe(1);
    expect(fakes.dialog.messageBoxes).toEqual([]);
  });
});
