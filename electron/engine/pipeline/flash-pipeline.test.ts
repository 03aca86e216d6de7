import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../native/simulator';
import { E } from '../../shared/errors';
import { engineWithTerminal, flash, FLASH_SUCCESS_PATH, imageFile, ROLLED_BACK_PATH, statePath } from '../test-kit';

describe('flash pipeline against a simulated terminal', () => {
  it('installs into the other slot, boots it, confirms it and records the job', async () => {
    const { terminal, engine } = await engineWithTerminal();
    const image = await imageFile({ version: 'B02' });

    const { report, states } = await flash(engine, terminal.address, image.path);

    expect(report).toMatchObject({ result: 'success', code: E.SUCCESS.code, error: null, fromVersion: 'B01', toVersion: 'B02', activeSlot: 'b', bytesSent: image.bytes.length, serial: terminal.serial, model: 'MF286D' });
    expect(statePath(states)).toEqual(FLASH_SUCCESS_PATH);
    expect(report.stages.map((s) => [s.name, s.status])).toEqual([
      ['detect', 'done'],
      ['download', 'skipped'],
      ['verify', 'done'],
      ['install', 'done'],
      ['report', 'done'],
    ]);
    expect(report.stages[3]!.steps!.every((s) => s.status === 'done' && s.ms !== null)).toBe(true);

    const after = terminal.inspect();
    expect(after.activeSlot).toBe('b');
    expect(after.slots.b).toMatchObject({ version: 'B02', state: 'good' });
    expect(after.slots.a).toMatchObject({ version: 'B01', state: 'good' });
    expect((await terminal.readSlot('b')).subarray(0, image.bytes.length)).toEqual(image.bytes);

    expect(await engine.listHistory({})).toEqual([report]);
    // The job log holds what the terminal logged during this job, and only that.
    const deviceLines = (await engine.getJobLog({ jobId: report.jobId })).filter((l) => l.message.startsWith('device: ')).map((l) => l.message.slice(8));
    expect(deviceLines.some((l) => l.includes('power on'))).toBe(false);
    expect(deviceLines.some((l) => l.includes('confirmed'))).toBe(true);
    expect(terminal.inspect().log.slice(-deviceLines.length)).toEqual(deviceLines);
    const device = (await engine.getSnapshot({})).devices[0]!;
    expect(device.state.kind).toBe('ready');
    expect(device.info).toMatchObject({ activeSlot: 'b', firmwareVersion: 'B02' });
  });

  it('reports progress with bytes, a smoothed rate and an ETA while writing', async () => {
    // A slow link, so the write lasts long enough for several progress events.
    const { terminal, engine } = await engineWithTerminal({ linkBytesPerSecond: 256 * 1024 });
    const image = await imageFile({ version: 'B02', payloadBytes: 256 * 1024 });
    const { report, states } = await flash(engine, terminal.address, image.path);
    expect(report.result).toBe('success');
    const progress = states.flatMap((s) => (s.kind === 'installing' && s.step === 'write' && s.progress ? [s.progress] : []));
    expect(progress.length).toBeGreaterThan(3);
    // At most 10 progress events a second (plus the first and the last).
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(report.stages[3]!.steps![0]!.ms! / 100) + 2);
    expect(progress.at(-1)).toMatchObject({ bytesDone: image.bytes.length, bytesTotal: image.bytes.length, etaMs: 0 });
    const middle = progress.filter((p) => p.bytesDone > 0 && p.bytesDone < p.bytesTotal);
    expect(middle.some((p) => p.bytesPerSecond > 0 && p.etaMs !== null)).toBe(true);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.bytesDone).toBeGreaterThanOrEqual(progress[i - 1]!.bytesDone);
  });

  it('ends rolled back with BOOT_FAILED_ROLLED_BACK when the new slot never boots', async () => {
    const { terminal, engine } = await engineWithTerminal({ faults: [parseFaultSpec('boot-fail')] });
    const image = await imageFile({ version: 'B02' });

    const { report, states } = await flash(engine, terminal.address, image.path);

    expect(report).toMatchObject({ result: 'rolled-back', code: E.BOOT_FAILED_ROLLED_BACK.code, activeSlot: 'a', fromVersion: 'B01', toVersion: 'B02' });
    expect(report.error).toMatchObject({ code: E.BOOT_FAILED_ROLLED_BACK.code, title: E.BOOT_FAILED_ROLLED_BACK.title, remedy: E.BOOT_FAILED_ROLLED_BACK.remedy });
    expect(statePath(states)).toEqual(ROLLED_BACK_PATH);
    const after = terminal.inspect();
    expect(after.activeSlot).toBe('a');
    expect(after.slots.a).toMatchObject({ version: 'B01', state: 'good' });
    expect(after.slots.b.state).toBe('unbootable');
    expect((await engine.listHistory({}))[0]).toMatchObject({ result: 'rolled-back', code: E.BOOT_FAILED_ROLLED_BACK.code });
  });

  it('fails with READBACK_MISMATCH on a corrupted write and never touches the active slot', async () => {
    const { terminal, engine } = await engineWithTerminal({ faults: [parseFaultSpec('corrupt-write')] });
    const image = await imageFile({ version: 'B02' });
    const activeBefore = await terminal.readSlot('a');

    const { report, states } = await flash(engine, terminal.address, image.path);

    expect(report).toMatchObject({ result: 'failed', code: E.READBACK_MISMATCH.code, activeSlot: 'a' });
    expect(statePath(states)).not.toContain('installing:activate');
    expect(report.stages[3]!.steps!.map((s) => s.status)).toEqual(['done', 'failed', 'skipped', 'skipped', 'skipped']);
    const after = terminal.inspect();
    expect(after.activeSlot).toBe('a');
    expect(after.slots.a).toMatchObject({ version: 'B01', state: 'good' });
    expect(await terminal.readSlot('a')).toEqual(activeBefore);
  });

  it('fails cleanly with LINK_LOST when the link drops mid-write to a v1 terminal, and the terminal still boots its old slot', async () => {
    // A v1 agent cannot resume a write (a v2 one is waited for: resume-write.test.ts).
    const { terminal, engine } = await engineWithTerminal({ agentVersion: 1, faults: [parseFaultSpec('disconnect@40k')] });
    const image = await imageFile({ version: 'B02' });
    const activeBefore = await terminal.readSlot('a');

    const { report } = await flash(engine, terminal.address, image.path);

    expect(report).toMatchObject({ result: 'failed', code: E.LINK_LOST.code, activeSlot: 'a' });
    expect(report.bytesSent).toBeLessThan(image.bytes.length);
    expect(report.stages[3]!.steps![0]!.status).toBe('failed');
    // After the drop the engine reconnected once to copy the terminal's side of the story.
    const deviceLines = (await engine.getJobLog({ jobId: report.jobId })).filter((l) => l.message.startsWith('device: '));
    expect(deviceLines.length).toBeGreaterThan(0);
    const after = terminal.inspect();
    expect(after.activeSlot).toBe('a');
    expect(after.slots.a).toMatchObject({ version: 'B01', state: 'good' });
    expect(await terminal.readSlot('a')).toEqual(activeBefore);
    // The terminal answered again at the end of the job, and still runs B01.
    const [device] = (await engine.getSnapshot({})).devices;
    expect(device).toMatchObject({ state: { kind: 'ready' }, info: { activeSlot: 'a', firmwareVersion: 'B01' } });
  });
});
