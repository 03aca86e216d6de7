import { describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import { parseFaultSpec } from '../../../native/simulator';
import type { UpdateReportView } from '../../shared/contract';
import { flash, followJob, refusal, imageFile, startEngine, startTerminal } from '../test-kit';
import { FLEET_MODELS } from '../update/fleet-fixtures';
import { fleetLibrary, updateEngine } from '../update/update-test-kit';

describe('retrying a failed job', () => {
  it('flashes the same image onto the same terminal again when the code is retryable', async () => {
    const terminal = await startTerminal({ faults: [parseFaultSpec('corrupt-write')] });
    const engine = await startEngine();
    await engine.addDevice({ address: terminal.address });
    const image = await imageFile({ version: 'B02' });
    const first = await flash(engine, terminal.address, image.path);
    expect(first.report.code).toBe(E.READBACK_MISMATCH.code);
    expect(E.READBACK_MISMATCH.retryable).toBe(true);

    let retried: Awaited<ReturnType<typeof engine.retryJob>> | null = null;
    const second = await followJob(engine, terminal.address, async () => (retried = await engine.retryJob({ jobId: first.report.jobId })));
    expect(retried!.kind).toBe('flash');
    expect(retried!.job?.id).toBe(second.report.jobId);
    expect(second.report.jobId).not.toBe(first.report.jobId);
    expect(second.report.address).toBe(terminal.address);
    expect(second.report.imageName).toBe(first.report.imageName);
    // The simulated flash corrupts every write, so the second try meets the same fault: it did write again.
    expect(second.report.code).toBe(E.READBACK_MISMATCH.code);
    expect(second.report.bytesSent).toBeGreaterThan(0);
  });

  it('queues the whole update of the same terminal again for a failed update job', async () => {
    const library = await fleetLibrary();
    const { engine } = await updateEngine();
    await engine.updateSettings({ sources: [{ kind: 'library', folder: library.dir }] });
    const terminal = await startTerminal({ ...FLEET_MODELS[0]!, version: 'B02', faults: [parseFaultSpec('corrupt-write')] });
    await engine.addDevice({ address: terminal.address });
    const reports: UpdateReportView[] = [];
    const reported = (n: number) => new Promise<void>((resolve) => { const s = engine.onUpdateReport((r) => { reports.push(r); if (reports.length === n) { s.dispose(); resolve(); } }); });

    const first = reported(1);
    await engine.startUpdate({ addresses: [terminal.address] });
    await first;
    expect(reports[0]!.code).toBe(E.READBACK_MISMATCH.code);

    const second = reported(2);
    expect(await engine.retryJob({ jobId: reports[0]!.jobId })).toEqual({ kind: 'update', address: terminal.address, job: null });
    await second;
    expect(reports[1]!.jobId).not.toBe(reports[0]!.jobId);
    expect(reports[1]!.address).toBe(terminal.address);
    expect(reports[1]!.package).toBe(reports[0]!.package);
  });

  it('refuses a job whose code another try would not fix, and a job that succeeded, starting nothing', async () => {
    const terminal = await startTerminal({ faults: [parseFaultSpec('boot-fail')] });
    const engine = await startEngine();
    await engine.addDevice({ address: terminal.address });
    const rolledBack = await flash(engine, terminal.address, (await imageFile({ version: 'B02' })).path);
    expect(rolledBack.report.code).toBe(E.BOOT_FAILED_ROLLED_BACK.code);
    expect(E.BOOT_FAILED_ROLLED_BACK.retryable).toBe(false);
    const started: string[] = [];
    engine.onJobChanged((v) => started.push(v.id));
    expect(await refusal(engine.retryJob({ jobId: rolledBack.report.jobId }))).toBe(E.RETRY_UNAVAILABLE.code);

    const good = await startTerminal();
    await engine.addDevice({ address: good.address });
    const success = await flash(engine, good.address, (await imageFile({ version: 'B02' })).path);
    expect(success.report.result).toBe('success');
    const before = new Set(started);
    expect(await refusal(engine.retryJob({ jobId: success.report.jobId }))).toBe(E.RETRY_UNAVAILABLE.code);
    expect(started.filter((id) => !before.has(id))).toEqual([]);
    expect(await refusal(engine.retryJob({ jobId: 'no-such-job' }))).toBe(E.JOB_NOT_FOUND.code);
  });
});
