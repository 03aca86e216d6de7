import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine';
import { E, ERROR_CATALOG } from '../shared/errors';
import { callChannel, eventChannel } from '../shared/rpc/ipc-channels';
import { METHOD_NAMES } from '../shared/contract/service';
import { createEngineProcess, type EngineProcess } from './engine-process';
import { FakeApp, FakeFrame, FakeIpcMain, FakeUtilityProcess, fakeBrowserWindowClass, type FakeBrowserWindow } from './fake-electron';
import { isConsoleFrame } from './ipc-sender';
import { routeContract } from './ipc-router';
import { bootRealEngine } from './real-engine-boot';

const rendererDir = '/opt/zuc/renderer';
let tmp: string;
let engines: Engine[];
let utility: FakeUtilityProcess;
let engine: EngineProcess;
let ipcMain: FakeIpcMain;
let window: FakeBrowserWindow;
let other: FakeBrowserWindow;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zuc-ipc-router-'));
  engines = [];
  utility = new FakeUtilityProcess(bootRealEngine(tmp, engines));
  engine = createEngineProcess({ utilityProcess: utility, entryPath: '/opt/zuc/engine-host.mjs' });
  engine.start();
  ipcMain = new FakeIpcMain();
  const BrowserWindow = fakeBrowserWindowClass(new FakeApp());
  window = new BrowserWindow({} as never);
  other = new BrowserWindow({} as never);
  await window.loadFile(path.join(rendererDir, 'index.html'));
  await other.loadFile(path.join(rendererDir, 'index.html'));
  routeContract({
    ipcMain,
    engine,
    isTrustedSender: (event) => isConsoleFrame(event, window, rendererDir),
    target: () => (window.isDestroyed() ? null : window.webContents),
  });
});

afterEach(async () => {
  await engine.stop();
  await Promise.all(engines.map((e) => e.close()));
  await rm(tmp, { recursive: true, force: true });
});

const callsReachingEngine = () => utility.latest.received.filter((m) => (m as { t?: string }).t === 'call');

describe('contract over IPC', () => {
  it('has one handler per contract method and nothing else', () => {
    expect(ipcMain.channels.sort()).toEqual(METHOD_NAMES.map(callChannel).sort());
  });

  it('routes a valid call to the engine and brings its reply back', async () => {
    const reply = await ipcMain.invoke(window.webContents.invokeEvent(), callChannel('listErrors'), { t: 'call', id: 5, method: 'listErrors', request: {} });
    expect(reply).toMatchObject({ t: 'ok', id: 5 });
    expect((reply as { value: { code: string }[] }).value.map((e) => e.code)).toEqual(ERROR_CATALOG.map((e) => e.code));
    expect(callsReachingEngine()).toHaveLength(1);
  });

  it('passes the engine catalogued errors through with their code', async () => {
    const reply = await ipcMain.invoke(window.webContents.invokeEvent(), callChannel('refreshDevice'), {
      t: 'call',
      id: 6,
      method: 'refreshDevice',
      request: { address: 'tcp://127.0.0.1:9' },
    });
    expect(reply).toMatchObject({ t: 'err', id: 6, error: { code: E.UNKNOWN_TERMINAL.code } });
  });

  it.each([
    ['another window', () => other.webContents.invokeEvent()],
    ['an iframe of the console window', () => window.webContents.invokeEvent(new FakeFrame(window.webContents.mainFrame.processId, 9, window.webContents.mainFrame))],
    ['a frame that is gone', () => window.webContents.invokeEvent(null)],
    [
      'a frame detached from the page',
      () => {
        const frame = new FakeFrame(window.webContents.mainFrame.processId, window.webContents.mainFrame.routingId);
        frame.url = window.webContents.mainFrame.url;
        frame.detached = true;
        return window.webContents.invokeEvent(frame);
      },
    ],
    [
      'the console window after it left its own page',
      () => {
        window.webContents.mainFrame.url = 'https://evil.example/';
        return window.webContents.invokeEvent();
      },
    ],
    [
      'a file outside the console',
      () => {
        window.webContents.mainFrame.url = 'file:///home/tech/Downloads/page.html';
        return window.webContents.invokeEvent();
      },
    ],
  ])('refuses a call from %s with BAD_REQUEST and never reaches the engine', async (_what, sender) => {
    const reply = await ipcMain.invoke(sender(), callChannel('getSnapshot'), { t: 'call', id: 1, method: 'getSnapshot', request: {} });
    expect(reply).toMatchObject({ t: 'err', id: 1, error: { code: E.BAD_REQUEST.code } });
    expect(callsReachingEngine()).toEqual([]);
  });

  it.each([
    ['a string', 'getSnapshot', 'getSnapshot'],
    ['nothing', 'getSnapshot', undefined],
    ['a reply instead of a call', 'getSnapshot', { t: 'ok', id: 1, value: {} }],
    ['a call of another method on this channel', 'getSnapshot', { t: 'call', id: 1, method: 'removeDevice', request: { address: 'x' } }],
    ['a negative id', 'getSnapshot', { t: 'call', id: -1, method: 'getSnapshot', request: {} }],
    ['an empty address', 'addDevice', { t: 'call', id: 2, method: 'addDevice', request: { address: '' } }],
    ['an address that is not text', 'addDevice', { t: 'call', id: 2, method: 'addDevice', request: { address: { toString: 1 } } }],
    ['image bytes as an array of numbers', 'stageImage', { t: 'call', id: 3, method: 'stageImage', request: { name: 'fw.bin', data: [1, 2, 3] } }],
    ['a history limit of a million', 'listHistory', { t: 'call', id: 4, method: 'listHistory', request: { limit: 1_000_000 } }],
  ] as const)('refuses %s with BAD_REQUEST and never reaches the engine', async (_what, method, message) => {
    const reply = await ipcMain.invoke(window.webContents.invokeEvent(), callChannel(method), message);
    expect(reply).toMatchObject({ t: 'err', error: { code: E.BAD_REQUEST.code } });
    expect(callsReachingEngine()).toEqual([]);
  });

  it('forwards engine events to the console window on their own channels', async () => {
    const address = 'tcp://127.0.0.1:9';
    await ipcMain.invoke(window.webContents.invokeEvent(), callChannel('addDevice'), { t: 'call', id: 8, method: 'addDevice', request: { address } });
    await expect
      .poll(() => window.webContents.sent.filter((s) => s.channel === eventChannel('onDeviceChanged')))
      .toContainEqual({ channel: eventChannel('onDeviceChanged'), args: [expect.objectContaining({ t: 'event', name: 'onDeviceChanged', payload: expect.objectContaining({ address }) })] });
    expect(other.webContents.sent).toEqual([]);
  });

  it('drops events once the window is closed instead of failing', async () => {
    window.close();
    await engine.call('addDevice', { address: 'tcp://127.0.0.1:9' }).catch(() => undefined);
    expect(window.webContents.sent).toEqual([]);
  });
});
