import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../native/simulator';
import { E } from '../../shared/errors';
import { createEngine } from '../index';
import { flash, imageFile, startEngine, startTerminal, statePath, tempDir, TEST_TIMEOUTS } from '../test-kit';
import { FLASH_MACHINE, isFinal, type NodeName, type Target } from './flash-machine';

const INSTALL_BEFORE_ACTIVATE: NodeName[] = ['detect', 'verify', 'write', 'readback'];
const FROM_ACTIVATE: NodeName[] = ['activate', 'reboot', 'confirm'];

describe('flash machine definition', () => {
  it('runs the stages in pipeline order when every node succeeds', () => {
    const path: Target[] = [];
    let at: Target = FLASH_MACHINE.initial;
    while (!isFinal(at)) {
      path.push(at);
      at = FLASH_MACHINE.nodes[at].on.done;
    }
    expect(path).toEqual(['detect', 'verify', 'write', 'readback', 'activate', 'reboot', 'confirm']);
    expect(FLASH_MACHINE.finals[at]).toBe('success');
  });

  it('fails without touching the active slot before activation, and rolls back from activation on', () => {
    for (const node of INSTALL_BEFORE_ACTIVATE) {
      expect(FLASH_MACHINE.nodes[node].on.error, node).toBe('failed');
      expect(FLASH_MACHINE.nodes[node].cancellable, node).toBe(true);
    }
    for (const node of FROM_ACTIVATE) expect(FLASH_MACHINE.nodes[node].on.error, node).toBe('rollback');
    for (const node of ['reboot', 'confirm'] as const) expect(FLASH_MACHINE.nodes[node].cancellable, node).toBe(false);
    expect(FLASH_MACHINE.nodes.rollback.on).toEqual({ done: 'rolledBack', error: 'failed' });
    expect(FLASH_MACHINE.finals.rolledBack).toBe('rolled-back');
  });

  it('checks every image before the first byte is written', () => {
    const guards = [...(FLASH_MACHINE.nodes.detect.guards ?? []), ...(FLASH_MACHINE.nodes.verify.guards ?? [])].map((g) => g.error.code);
    expect(guards).toEqual([E.SLOTS_UNHEALTHY.code, E.IMAGE_TOO_LARGE.code, E.IMAGE_NO_HEADER.code, E.IMAGE_WRONG_MODEL.code]);
    expect(FLASH_MACHINE.nodes.reboot.timeout).toEqual({ after: 'bootMs', error: E.NO_BOOT });
    expect(FLASH_MACHINE.nodes.rollback.timeout).toEqual({ after: 'rollbackMs', error: E.NO_BOOT });
  });
});

describe('flash machine timeouts and cancellation, headless against a simulated terminal', () => {
  it('gives up waiting for the boot after the boot timeout and reports NO_BOOT', async () => {
    // One boot try takes 1.5 s on this terminal; the engine waits 300 ms, and as long again to roll back.
    const terminal = await startTerminal({ bootMs: 1500 });
    const engine = await startEngine({ timeouts: { ...TEST_TIMEOUTS, bootMs: 300, rollbackMs: 300 } });
    await engine.addDevice({ address: terminal.address });
    const { report, states } = await flash(engine, terminal.address, (await imageFile({ version: 'B02' })).path);

    expect(report).toMatchObject({ result: 'failed', code: E.NO_BOOT.code });
    expect(statePath(states).slice(-4)).toEqual(['installing:reboot', 'rolling-back', 'reporting:failed', 'done']);
    const reboot = report.stages[3]!.steps!.find((s) => s.name === 'reboot')!;
    expect(reboot.status).toBe('failed');
    expect(reboot.ms!).toBeGreaterThanOrEqual(280);
    expect(reboot.ms!).toBeLessThan(1400);
    expect((await engine.getSnapshot({})).devices[0]?.state).toMatchObject({ kind: 'offline', error: { code: E.NO_BOOT.code } });
  });

  it('switches the terminal back to its old slot itself when the new one answers after the boot timeout', async () => {
    const terminal = await startTerminal({ bootMs: 500 });
    const engine = await startEngine({ timeouts: { ...TEST_TIMEOUTS, bootMs: 250, rollbackMs: 6000 } });
    await engine.addDevice({ address: terminal.address });
    const { report } = await flash(engine, terminal.address, (await imageFile({ version: 'B02' })).path);

    expect(report).toMatchObject({ result: 'rolled-back', code: E.NO_BOOT.code, activeSlot: 'a', fromVersion: 'B01' });
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' } } });
    const log = (await engine.getJobLog({ jobId: report.jobId })).map((l) => l.message);
    expect(log).toContain('switching the terminal back to slot a');
    expect(terminal.inspect().log.some((line) => line.includes('slot a set active'))).toBe(true);
  });

  it('stops a job on close before activation, as CANCELLED, with the active slot untouched', async () => {
    const terminal = await startTerminal({ linkBytesPerSecond: 64 * 1024 });
    const dataDir = await tempDir();
    const engine = createEngine({ dataDir, timeouts: TEST_TIMEOUTS });
    const activeBefore = await terminal.readSlot('a');
    await engine.addDevice({ address: terminal.address });
    let writing: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (writing = resolve));
    engine.onJobChanged((v) => v.state.kind === 'installing' && v.state.progress && v.state.progress.bytesDone > 0 && writing());
    await engine.startFlash({ address: terminal.address, image: { kind: 'path', path: (await imageFile({ version: 'B02' })).path } });
    await started;
    await engine.close();

    const reopened = createEngine({ dataDir, timeouts: TEST_TIMEOUTS });
    try {
      const [report] = await reopened.listHistory({});
      expect(report).toMatchObject({ result: 'failed', code: E.CANCELLED.code, activeSlot: 'a' });
      expect(report!.bytesSent).toBeGreaterThan(0);
      expect(report!.stages[3]!.steps!.find((s) => s.name === 'activate')!.status).toBe('skipped');
    } finally {
      await reopened.close();
    }
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' } } });
    expect(await terminal.readSlot('a')).toEqual(activeBefore);
  });

  it('closes promptly while a job waits for the reboot, and the job still winds down without errors', async () => {
    const terminal = await startTerminal({ bootMs: 300, faults: [parseFaultSpec('boot-fail')] });
    const engine = createEngine({ dataDir: await tempDir(), timeouts: { ...TEST_TIMEOUTS, closeGraceMs: 100 } });
    await engine.addDevice({ address: terminal.address });
    let rebooting: () => void = () => undefined;
    const reboot = new Promise<void>((resolve) => (rebooting = resolve));
    engine.onJobChanged((v) => v.state.kind === 'installing' && v.state.step === 'reboot' && rebooting());
    await engine.startFlash({ address: terminal.address, image: { kind: 'path', path: (await imageFile({ version: 'B02' })).path } });
    await reboot;
    const closing = Date.now();
    await engine.close();
    expect(Date.now() - closing).toBeLessThan(1000);
    // The terminal's bootloader falls back on its own; the orphaned job must not crash anything meanwhile.
    await expect.poll(() => terminal.inspect().slots.b.state, { timeout: 5000 }).toBe('unbootable');
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' } } });
    await new Promise((resolve) => setTimeout(resolve, 500));
  });

  it('keeps the history when the engine is closed and opened again', async () => {
    const terminal = await startTerminal();
    const dataDir = await tempDir();
    const first = createEngine({ dataDir, timeouts: TEST_TIMEOUTS });
    await first.addDevice({ address: terminal.address });
    const { report } = await flash(first, terminal.address, (await imageFile({ version: 'B02' })).path);
    const log = await first.getJobLog({ jobId: report.jobId });
    await first.close();

    const second = createEngine({ dataDir, timeouts: TEST_TIMEOUTS });
    try {
      expect(await second.listHistory({})).toEqual([report]);
      expect(await second.getJobLog({ jobId: report.jobId })).toEqual(log);
    } finally {
      await second.close();
    }
  });
});
