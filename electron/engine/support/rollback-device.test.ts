import { describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import type { Engine } from '../index';
import { flash, followJob, imageFile, startEngine, startTerminal } from '../test-kit';

/** Starts a rollback and waits for its report, keeping every view the job went through. */
const rollback = (engine: Engine, address: string) => followJob(engine, address, () => engine.rollbackDevice({ address }));

describe('rollback to the other slot and reboot', () => {
  it('switches an updated terminal back to its previous good slot as a job with its stages, log and report', async () => {
    const terminal = await startTerminal();
    const engine = await startEngine({ allowUnsignedPackages: true });
    await engine.addDevice({ address: terminal.address });
    expect((await flash(engine, terminal.address, (await imageFile({ version: 'B02' })).path)).report.activeSlot).toBe('b');

    const { report, views } = await rollback(engine, terminal.address);
    expect(report).toMatchObject({ result: 'success', code: E.SUCCESS.code, fromVersion: 'B02', toVersion: 'B01', activeSlot: 'a', bytesSent: 0 });
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' }, b: { version: 'B02', state: 'good' } } });
    const steps = views.map((v) => (v.state.kind === 'installing' ? v.state.step : v.state.kind));
    expect(steps.filter((s, i) => s !== steps[i - 1])).toEqual(['queued', 'detecting', 'activate', 'reboot', 'confirm', 'reporting', 'done']);
    const install = report.stages.find((s) => s.name === 'install')!;
    expect(install.status).toBe('done');
    expect(install.steps!.map((s) => `${s.name}:${s.status}`)).toEqual(['write:skipped', 'readback:skipped', 'activate:done', 'reboot:done', 'confirm:done']);
    // The job is in the history and its log tells the story, with the terminal's own lines.
    expect((await engine.listHistory({ limit: 1 }))[0]).toEqual(report);
    const log = (await engine.getJobLog({ jobId: report.jobId })).map((l) => l.message).join('\n');
    expect(log).toMatch(/going back to slot a \(B01\)/);
    expect(log).toMatch(/slot a confirmed: the terminal runs B01/);
    expect(log).toMatch(/device: /);
    const device = (await engine.getSnapshot({})).devices.find((d) => d.address === terminal.address)!;
    expect(device).toMatchObject({ state: { kind: 'ready' }, info: { activeSlot: 'a', firmwareVersion: 'B01' } });
  });

  it('refuses when the other slot is empty, and leaves the terminal and the history untouched', async () => {
    const terminal = await startTerminal();
    const engine = await startEngine();
    await engine.addDevice({ address: terminal.address });
    expect(terminal.inspect().slots.b.state).toBe('empty');
    await expect(engine.rollbackDevice({ address: terminal.address })).rejects.toMatchObject({ code: E.ROLLBACK_UNAVAILABLE.code });
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' } } });
    expect(await engine.listHistory({})).toEqual([]);
  });

  it('refuses when the other slot is unbootable after a failed update', async () => {
    const terminal = await startTerminal({ faults: [{ kind: 'boot-fail' }] });
    const engine = await startEngine({ allowUnsignedPackages: true });
    await engine.addDevice({ address: terminal.address });
    expect((await flash(engine, terminal.address, (await imageFile({ version: 'B02' })).path)).report.result).toBe('rolled-back');
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { b: { state: 'unbootable' } } });
    await expect(engine.rollbackDevice({ address: terminal.address })).rejects.toMatchObject({ code: E.ROLLBACK_UNAVAILABLE.code, detail: expect.stringMatching(/slot b is unbootable/) });
    expect(terminal.inspect().activeSlot).toBe('a');
    expect(await engine.listHistory({})).toHaveLength(1);
  });

  it('refuses a terminal that runs a job', async () => {
    const terminal = await startTerminal();
    const engine = await startEngine({ allowUnsignedPackages: true });
    await engine.addDevice({ address: terminal.address });
    const running = flash(engine, terminal.address, (await imageFile({ version: 'B02' })).path);
    await expect.poll(async () => (await engine.getSnapshot({})).devices[0]?.state.kind).toBe('busy');
    await expect(engine.rollbackDevice({ address: terminal.address })).rejects.toMatchObject({ code: E.TERMINAL_BUSY.code });
    await expect(engine.rebootDevice({ address: terminal.address })).rejects.toMatchObject({ code: E.TERMINAL_BUSY.code });
    expect((await running).report.result).toBe('success');
  });

  it('reboots a terminal and shows it ready again once it answers', async () => {
    const terminal = await startTerminal();
    const engine = await startEngine();
    await engine.addDevice({ address: terminal.address });
    const bootLines = terminal.inspect().log.length;
    const view = await engine.rebootDevice({ address: terminal.address });
    expect(view).toMatchObject({ address: terminal.address, state: { kind: 'ready' }, info: { activeSlot: 'a', firmwareVersion: 'B01' } });
    // The simulator logs each boot: the terminal really went down and came back.
    expect(terminal.inspect().log.slice(bootLines).join('\n')).toMatch(/boot/i);
    await expect(engine.rebootDevice({ address: 'tcp://127.0.0.1:1' })).rejects.toMatchObject({ code: E.UNKNOWN_TERMINAL.code });
  });
});
