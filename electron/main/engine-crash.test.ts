// The engine host as a real separate process (Node standing in for
// Electron's utility process) killed in the middle of a job: main notices,
// starts a new one, and the window is told the job ended as interrupted.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobView } from '../shared/contract';
import { E } from '../shared/errors';
import type { RpcMessage } from '../shared/rpc';
import { callChannel, eventChannel } from '../shared/rpc/ipc-channels';
import { createEngineProcess, type EngineProcess } from './engine-process';
import { FakeApp, FakeIpcMain, fakeBrowserWindowClass, type FakeBrowserWindow } from './fake-electron';
import { routeContract } from './ipc-router';
import { NodeUtilityProcess } from './node-utility-process';

const ENTRY = path.resolve(import.meta.dirname, '../engine/host/utility-entry.ts');

let tmp: string;
let terminal: net.Server;
let held: net.Socket[];
let engine: EngineProcess;
let utility: NodeUtilityProcess;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zuc-engine-crash-'));
  held = [];
  let connections = 0;
  // A terminal that refuses the first connection (so adding it is quick) and
  // then accepts and never answers, so a job stays in its first stage.
  terminal = net.createServer((socket) => {
    if (connections++ === 0) socket.destroy();
    else held.push(socket);
  });
  await new Promise<void>((resolve) => terminal.listen(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  await engine?.stop();
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => terminal.close(resolve));
  await rm(tmp, { recursive: true, force: true });
});

async function call(ipcMain: FakeIpcMain, window: FakeBrowserWindow, method: Parameters<typeof callChannel>[0], request: unknown): Promise<RpcMessage> {
  return (await ipcMain.invoke(window.webContents.invokeEvent(), callChannel(method), { t: 'call', id: 1, method, request })) as RpcMessage;
}

describe('engine process killed during a job', () => {
  it('is restarted and the window shows the job as interrupted', async () => {
    const address = `tcp://127.0.0.1:${(terminal.address() as net.AddressInfo).port}`;
    utility = new NodeUtilityProcess({ ...process.env, ZUC_DATA_DIR: tmp });
    engine = createEngineProcess({ utilityProcess: utility, entryPath: ENTRY });
    engine.start();
    const ipcMain = new FakeIpcMain();
    const window = new (fakeBrowserWindowClass(new FakeApp()))({} as never);
    routeContract({ ipcMain, engine, isTrustedSender: () => true, target: () => window.webContents });

    await call(ipcMain, window, 'addDevice', { address });
    const staged = await call(ipcMain, window, 'stageImage', { name: 'MF286D_B12.bin', data: new Uint8Array(2048).fill(7) });
    expect(staged.t).toBe('ok');
    const started = await call(ipcMain, window, 'startFlash', { address, image: { kind: 'staged', id: (staged as { value: { id: string } }).value.id } });
    expect(started).toMatchObject({ t: 'ok' });
    const jobId = (started as { value: JobView }).value.id;

    const jobEvents = () =>
      window.webContents.sent
        .filter((s) => s.channel === eventChannel('onJobChanged'))
        .map((s) => (s.args[0] as { payload: JobView }).payload)
        .filter((job) => job.id === jobId);
    await expect.poll(() => jobEvents().some((job) => job.state.kind === 'detecting'), { timeout: 10_000 }).toBe(true);

    utility.children[0]!.process.kill('SIGKILL');

    await expect.poll(() => jobEvents().at(-1)?.state, { timeout: 20_000 }).toMatchObject({ kind: 'done', report: { result: 'failed', code: E.INTERRUPTED.code } });
    expect(utility.children).toHaveLength(2);
    const history = await call(ipcMain, window, 'listHistory', {});
    expect(history).toMatchObject({ t: 'ok', value: [expect.objectContaining({ jobId, code: E.INTERRUPTED.code })] });
  }, 60_000);
});
