import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import type { RunningTerminal } from '../../../native/simulator';
import { createEngine } from '../index';
import { closedPort, flash, imageFile, startEngine, startTerminal, tempDir, TEST_TIMEOUTS } from '../test-kit';

/** Asserts that the terminal received no payload byte and that both slots are exactly as before. */
async function expectUntouched(terminal: RunningTerminal, before: { a: Uint8Array; b: Uint8Array; state: ReturnType<RunningTerminal['inspect']> }): Promise<void> {
  const now = terminal.inspect();
  expect(now.payloadBytesReceived).toBe(0);
  expect(now.activeSlot).toBe(before.state.activeSlot);
  expect(now.slots).toEqual(before.state.slots);
  expect(await terminal.readSlot('a')).toEqual(before.a);
  expect(await terminal.readSlot('b')).toEqual(before.b);
}

async function snapshotOf(terminal: RunningTerminal) {
  return { a: await terminal.readSlot('a'), b: await terminal.readSlot('b'), state: terminal.inspect() };
}

describe('bad input never reaches the terminal', () => {
  const cases: { name: string; code: string; make(dir: string): Promise<string> }[] = [
    {
      name: 'an empty image',
      code: E.IMAGE_EMPTY.code,
      make: async (dir) => {
        await writeFile(path.join(dir, 'empty.bin'), new Uint8Array());
        return path.join(dir, 'empty.bin');
      },
    },
    {
      name: 'a directory',
      code: E.IMAGE_IS_DIRECTORY.code,
      make: async (dir) => {
        await mkdir(path.join(dir, 'firmware'));
        return path.join(dir, 'firmware');
      },
    },
    { name: 'a missing file', code: E.IMAGE_NOT_FOUND.code, make: async (dir) => path.join(dir, 'nowhere.bin') },
    { name: 'an image larger than the slot', code: E.IMAGE_TOO_LARGE.code, make: async () => (await imageFile({ version: 'B02', payloadBytes: 300 * 1024 })).path },
    { name: 'an image for another model', code: E.IMAGE_WRONG_MODEL.code, make: async () => (await imageFile({ version: 'B02', model: 'MC801A' })).path },
    { name: 'an image for another hardware revision', code: E.IMAGE_WRONG_MODEL.code, make: async () => (await imageFile({ version: 'B02', hwRevision: 'V2.0' })).path },
    {
      name: 'a file without a firmware header',
      code: E.IMAGE_NO_HEADER.code,
      make: async (dir) => {
        await writeFile(path.join(dir, 'notes.txt'), 'these are not the bytes you are looking for\n'.repeat(100));
        return path.join(dir, 'notes.txt');
      },
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} with ${c.code} before writing a byte`, async () => {
      const terminal = await startTerminal({ slotSize: 256 * 1024 });
      const engine = await startEngine();
      const before = await snapshotOf(terminal);
      await engine.addDevice({ address: terminal.address });
      const { report, states } = await flash(engine, terminal.address, await c.make(await tempDir()));
      expect(report).toMatchObject({ result: 'failed', code: c.code, bytesSent: 0, activeSlot: 'a' });
      expect(report.error?.code).toBe(c.code);
      expect(states.some((s) => s.kind === 'installing')).toBe(false);
      expect(report.stages.find((s) => s.name === 'verify')?.status).toBe('failed');
      await expectUntouched(terminal, before);
    });
  }

  it('refuses a job on a terminal the console does not know', async () => {
    const engine = await startEngine();
    const image = await imageFile({ version: 'B02' });
    await expect(engine.startFlash({ address: 'tcp://127.0.0.1:1', image: { kind: 'path', path: image.path } })).rejects.toMatchObject({ code: E.UNKNOWN_TERMINAL.code });
    expect(await engine.listHistory({})).toEqual([]);
  });

  it('refuses an address that cannot name a terminal', async () => {
    const engine = await startEngine();
    await expect(engine.addDevice({ address: 'http://example.com' })).rejects.toMatchObject({ code: E.BAD_ADDRESS.code });
    expect((await engine.getSnapshot({})).devices).toEqual([]);
  });

  it('keeps an unreachable terminal offline and fails its job with TERMINAL_UNREACHABLE', async () => {
    const engine = await startEngine();
    const address = `tcp://127.0.0.1:${await closedPort()}`;
    const view = await engine.addDevice({ address });
    expect(view.state).toMatchObject({ kind: 'offline', error: { code: E.TERMINAL_UNREACHABLE.code } });
    const { report } = await flash(engine, address, (await imageFile({ version: 'B02' })).path);
    expect(report).toMatchObject({ result: 'failed', code: E.TERMINAL_UNREACHABLE.code, bytesSent: 0 });
    expect(report.stages.map((s) => s.status)).toEqual(['failed', 'skipped', 'skipped', 'skipped', 'done']);
  });

  it('refuses to update a terminal whose running slot is still on trial', async () => {
    const terminal = await startTerminal();
    const engine = await startEngine();
    // A first engine flashes B02 but is stopped before confirming: the terminal boots B02 pending.
    const image = await imageFile({ version: 'B02' });
    const { connectAgent } = await import('../../../native/protocol/agent');
    const driver = await connectAgent(terminal.address);
    await driver.writeSlot('b', image.bytes);
    await driver.setActive('b');
    await driver.reboot();
    await driver.close();
    await expect.poll(async () => (await engine.addDevice({ address: terminal.address })).info?.activeSlot, { timeout: 5000 }).toBe('b');
    const before = await snapshotOf(terminal);
    expect(before.state.slots.b.state).toBe('pending');

    const { report } = await flash(engine, terminal.address, (await imageFile({ version: 'B03' })).path);
    expect(report).toMatchObject({ result: 'failed', code: E.SLOTS_UNHEALTHY.code, bytesSent: 0 });
    expect(terminal.inspect().slots).toEqual(before.state.slots);
    expect(await terminal.readSlot('a')).toEqual(before.a);
  });
});

describe('console service', () => {
  it('runs one job per terminal at a time', async () => {
    const terminal = await startTerminal({ linkBytesPerSecond: 128 * 1024 });
    const engine = await startEngine();
    const image = await imageFile({ version: 'B02' });
    await engine.addDevice({ address: terminal.address });
    const running = flash(engine, terminal.address, image.path);
    await expect.poll(async () => (await engine.getSnapshot({})).devices[0]?.state.kind).toBe('busy');
    await expect(engine.startFlash({ address: terminal.address, image: { kind: 'path', path: image.path } })).rejects.toMatchObject({ code: E.TERMINAL_BUSY.code });
    await expect(engine.removeDevice({ address: terminal.address })).rejects.toMatchObject({ code: E.TERMINAL_BUSY.code });
    expect((await running).report.result).toBe('success');
    expect((await engine.getSnapshot({})).devices[0]?.state.kind).toBe('ready');
  });

  it('refuses a terminal that another console sharing the database is flashing', async () => {
    const terminal = await startTerminal({ linkBytesPerSecond: 128 * 1024 });
    const dataDir = await tempDir();
    const desktop = createEngine({ dataDir, timeouts: TEST_TIMEOUTS });
    const cli = createEngine({ dataDir, timeouts: TEST_TIMEOUTS });
    try {
      const image = await imageFile({ version: 'B02' });
      await desktop.addDevice({ address: terminal.address });
      await cli.addDevice({ address: terminal.address });
      const running = flash(desktop, terminal.address, image.path);
      await expect(cli.startFlash({ address: terminal.address, image: { kind: 'path', path: image.path } })).rejects.toMatchObject({ code: E.TERMINAL_BUSY.code });
      // Identifying it now would cut the running job's link: the other console shows it busy instead.
      expect((await cli.refreshDevice({ address: terminal.address })).state).toMatchObject({ kind: 'busy' });
      expect((await running).report.result).toBe('success');
      // Once the job ended, the terminal is free for the other console.
      const second = await flash(cli, terminal.address, (await imageFile({ version: 'B03' })).path);
      expect(second.report).toMatchObject({ result: 'success', fromVersion: 'B02', toVersion: 'B03', activeSlot: 'a' });
    } finally {
      await cli.close();
      await desktop.close();
    }
  });

  it('stages an image sent as bytes, shows its header and flashes it', async () => {
    const terminal = await startTerminal();
    const engine = await startEngine();
    const image = await imageFile({ version: 'B02' });
    const staged = await engine.stageImage({ name: 'MF286D_B02.bin', data: new Uint8Array(image.bytes) });
    expect(staged).toMatchObject({ name: 'MF286D_B02.bin', size: image.bytes.length, model: 'MF286D', hwRevision: 'V1.0', version: 'B02' });
    expect((await engine.stageImage({ name: 'x.txt', data: new TextEncoder().encode('hello') })).version).toBeNull();
    await expect(engine.stageImage({ name: 'empty.bin', data: new Uint8Array() })).rejects.toMatchObject({ code: E.IMAGE_EMPTY.code });

    await engine.addDevice({ address: terminal.address });
    let done: (v: unknown) => void = () => undefined;
    const finished = new Promise((resolve) => (done = resolve));
    engine.onJobChanged((view) => view.state.kind === 'done' && done(view.state.report));
    const job = await engine.startFlash({ address: terminal.address, image: { kind: 'staged', id: staged.id } });
    expect(job.imageName).toBe('MF286D_B02.bin');
    expect(await finished).toMatchObject({ result: 'success', imageName: 'MF286D_B02.bin', toVersion: 'B02' });
    expect(terminal.inspect().slots.b.version).toBe('B02');
  });

  it('validates requests like the IPC and WebSocket bindings do', async () => {
    const engine = await startEngine();
    await expect(engine.addDevice({ address: '' })).rejects.toMatchObject({ code: E.BAD_REQUEST.code });
    await expect(engine.startFlash({ address: 'tcp://127.0.0.1:1', image: { kind: 'url', href: 'x' } as never })).rejects.toMatchObject({ code: E.BAD_REQUEST.code });
    expect((await engine.listErrors({})).find((e) => e.code === E.BOOT_FAILED_ROLLED_BACK.code)).toMatchObject({ fumo: 410, tr069: 9010 });
  });
});

describe('known terminals', () => {
  it('are identified again at start when the host asks for it', async () => {
    const terminal = await startTerminal();
    const dataDir = await tempDir();
    const first = createEngine({ dataDir, timeouts: TEST_TIMEOUTS });
    await first.addDevice({ address: terminal.address });
    await first.close();

    const quiet = createEngine({ dataDir, timeouts: TEST_TIMEOUTS });
    expect((await quiet.getSnapshot({})).devices).toEqual([]);
    await quiet.close();

    const restoring = createEngine({ dataDir, timeouts: TEST_TIMEOUTS, restoreDevices: true });
    try {
      await expect.poll(async () => (await restoring.getSnapshot({})).devices.map((d) => [d.address, d.state.kind])).toEqual([[terminal.address, 'ready']]);
      expect((await restoring.getSnapshot({})).devices[0]!.info).toMatchObject({ serial: terminal.serial, firmwareVersion: 'B01' });
    } finally {
      await restoring.close();
    }
  });
});
