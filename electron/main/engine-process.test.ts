import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine';
import { SHUTDOWN_REQUEST } from '../engine/host/control-message';
import { E, ZucError } from '../shared/errors';
import { eventChannel } from '../shared/rpc/ipc-channels';
import { createEngineProcess, ENGINE_RESTART_LIMIT, type EngineProcess } from './engine-process';
import { FakeApp, FakeIpcMain, FakeUtilityProcess, fakeBrowserWindowClass } from './fake-electron';
import { routeContract } from './ipc-router';
import { bootRealEngine } from './real-engine-boot';

let tmp: string;
let engines: Engine[];
let utility: FakeUtilityProcess;
let engine: EngineProcess;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zuc-engine-process-'));
  engines = [];
  utility = new FakeUtilityProcess(bootRealEngine(tmp, engines));
});

afterEach(async () => {
  await engine.stop();
  await Promise.all(engines.map((e) => e.close()));
  await rm(tmp, { recursive: true, force: true });
});

describe('engine utility process', () => {
  it('starts the bundled engine host and answers contract calls through it', async () => {
    engine = createEngineProcess({ utilityProcess: utility, entryPath: '/opt/zuc/engine-host.mjs' });
    engine.start();
    expect(utility.latest.modulePath).toBe('/opt/zuc/engine-host.mjs');
    expect(await engine.call('getSnapshot', {})).toEqual({ devices: [], jobs: [] });
  });

  it('notices the engine dying, fails the call in flight with a catalogued error and restarts it', async () => {
    engine = createEngineProcess({ utilityProcess: utility, entryPath: '/opt/zuc/engine-host.mjs' });
    const restarts: number[] = [];
    engine.onRestarted((code) => restarts.push(code));
    engine.start();
    const first = utility.latest;
    const inFlight = engine.call('listErrors', {});
    first.exit(139);
    const error = await inFlight.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZucError);
    expect((error as ZucError).code).toBe(E.INTERNAL.code);
    expect((error as ZucError).detail).toContain('exit code 139');
    expect(restarts).toEqual([139]);
    expect(utility.children).toHaveLength(2);
    expect(engine.running).toBe(true);
    expect((await engine.call('listErrors', {})).length).toBeGreaterThan(0);
  });

  it('brings the window back in step after a restart: terminals the new engine does not know are removed', async () => {
    engine = createEngineProcess({ utilityProcess: utility, entryPath: '/opt/zuc/engine-host.mjs' });
    engine.start();
    const BrowserWindow = fakeBrowserWindowClass(new FakeApp());
    const window = new BrowserWindow({} as never);
    routeContract({ ipcMain: new FakeIpcMain(), engine, isTrustedSender: () => true, target: () => window.webContents });
    const address = 'tcp://127.0.0.1:9';
    await engine.call('addDevice', { address }).catch(() => undefined);
    await expect.poll(() => window.webContents.sent.some((s) => s.channel === eventChannel('onDeviceChanged'))).toBe(true);
    await engine.call('removeDevice', { address });
    const kept = 'tcp://127.0.0.1:7';
    await engine.call('addDevice', { address: kept }).catch(() => undefined);

    utility.latest.exit(134);
    const removed = () => window.webContents.sent.filter((s) => s.channel === eventChannel('onDeviceRemoved')).map((s) => (s.args[0] as { payload: unknown }).payload);
    await expect.poll(removed).toContainEqual({ address: kept });
  });

  it('leaves the engine down after it crashed too often, and says why', async () => {
    engine = createEngineProcess({ utilityProcess: utility, entryPath: '/opt/zuc/engine-host.mjs', now: () => 1_000 });
    const gaveUp: ZucError[] = [];
    engine.onGaveUp((e) => gaveUp.push(e));
    engine.start();
    for (let crash = 0; crash <= ENGINE_RESTART_LIMIT; crash++) {
      const child = utility.latest;
      child.exit(1);
      await expect.poll(() => utility.children.length > crash + 1 || gaveUp.length > 0).toBe(true);
    }
    expect(utility.children).toHaveLength(ENGINE_RESTART_LIMIT + 1);
    expect(gaveUp).toHaveLength(1);
    expect(engine.running).toBe(false);
    const refused = await engine.call('getSnapshot', {}).catch((e: unknown) => e);
    expect((refused as ZucError).code).toBe(E.INTERNAL.code);
    expect((refused as ZucError).detail).toContain(`${ENGINE_RESTART_LIMIT + 1} times`);
  });

  it('restarts again when the crashes are spread out in time', async () => {
    let now = 0;
    engine = createEngineProcess({ utilityProcess: utility, entryPath: '/opt/zuc/engine-host.mjs', now: () => now });
    engine.start();
    for (let crash = 0; crash < ENGINE_RESTART_LIMIT * 2; crash++) {
      now += 61_000;
      utility.latest.exit(1);
      await expect.poll(() => utility.children.length).toBe(crash + 2);
    }
    expect(engine.running).toBe(true);
  });

  it('asks the engine to close on stop, and does not restart it', async () => {
    engine = createEngineProcess({ utilityProcess: utility, entryPath: '/opt/zuc/engine-host.mjs' });
    engine.start();
    await engine.call('getSnapshot', {});
    const child = utility.latest;
    await engine.stop();
    expect(child.received).toContainEqual(SHUTDOWN_REQUEST);
    expect(child.exited).toBe(true);
    expect(utility.children).toHaveLength(1);
    // The engine closed its database: using it now fails.
    await expect(engines[0]!.listHistory({})).rejects.toThrow();
  });

  it('kills an engine that does not exit after the shutdown request', async () => {
    const silent = new FakeUtilityProcess(() => {});
    engine = createEngineProcess({ utilityProcess: silent, entryPath: '/opt/zuc/engine-host.mjs', shutdownTimeoutMs: 20 });
    engine.start();
    await engine.stop();
    expect(silent.latest.exited).toBe(true);
    expect(silent.children).toHaveLength(1);
  });
});
