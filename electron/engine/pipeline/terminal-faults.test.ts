import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../native/simulator';
import { E } from '../../shared/errors';
import { engineWithTerminal, flash, followJob, imageFile, ROLLED_BACK_PATH, statePath } from '../test-kit';

/**
 * Behaviours of real terminals that only a simulator fault makes
 * reproducible, run through the real engine: the code the user sees.
 */
describe('terminal faults seen through the engine', () => {
  it('stale-version: the new slot boots but reports the old version, so the job rolls back with VERSION_MISMATCH', async () => {
    const { terminal, engine } = await engineWithTerminal({ faults: [parseFaultSpec('stale-version')] });
    const image = await imageFile({ version: 'B02' });

    const { report, states } = await flash(engine, terminal.address, image.path);

    expect(report).toMatchObject({ result: 'rolled-back', code: E.VERSION_MISMATCH.code, activeSlot: 'a', fromVersion: 'B01', toVersion: 'B02' });
    expect(report.error).toMatchObject({ code: E.VERSION_MISMATCH.code, title: E.VERSION_MISMATCH.title, remedy: E.VERSION_MISMATCH.remedy });
    expect(report.error?.detail).toMatch(/terminal reports B01, image is B02/);
    expect(statePath(states)).toEqual(ROLLED_BACK_PATH);
    // The new slot was never confirmed; the terminal runs its old firmware, confirmed good.
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' } } });
    expect(terminal.inspect().slots.b.state).not.toBe('good');
    expect((await engine.listHistory({}))[0]).toMatchObject({ result: 'rolled-back', code: E.VERSION_MISMATCH.code });
  });

  it('bit-rot@a: a rollback onto a slot whose image decayed comes back on the current one: ROLLBACK_NOT_BOOTED, terminal still works', async () => {
    const { terminal, engine } = await engineWithTerminal({ faults: [parseFaultSpec('bit-rot@a')] });
    expect((await flash(engine, terminal.address, (await imageFile({ version: 'B02' })).path)).report).toMatchObject({ result: 'success', activeSlot: 'b' });

    const { report } = await followJob(engine, terminal.address, () => engine.rollbackDevice({ address: terminal.address }));

    expect(report).toMatchObject({ result: 'failed', code: E.ROLLBACK_NOT_BOOTED.code, activeSlot: 'b' });
    expect(report.error).toMatchObject({ title: E.ROLLBACK_NOT_BOOTED.title, remedy: E.ROLLBACK_NOT_BOOTED.remedy });
    expect(report.stages.find((s) => s.name === 'install')!.steps!.map((s) => `${s.name}:${s.status}`)).toEqual(['write:skipped', 'readback:skipped', 'activate:done', 'reboot:done', 'confirm:failed']);
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'b', slots: { a: { state: 'unbootable' }, b: { version: 'B02', state: 'good' } } });
    const log = (await engine.getJobLog({ jobId: report.jobId })).map((l) => l.message).join('\n');
    expect(log).toMatch(/device: \S+ boot: slot a image check failed/);
    const device = (await engine.getSnapshot({})).devices.find((d) => d.address === terminal.address)!;
    expect(device.info).toMatchObject({ activeSlot: 'b', firmwareVersion: 'B02' });
  });
});
