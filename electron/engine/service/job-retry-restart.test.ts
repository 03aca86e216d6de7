import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../native/simulator';
import type { JobView, UpdateReportView } from '../../shared/contract';
import { E, lookupError } from '../../shared/errors';
import { DATABASE_FILE } from '../store';
import { closedPort, flash, followJob, imageFile, refusal, startEngine, startTerminal, tempDir, TEST_TIMEOUTS } from '../test-kit';
import { createEngine } from '../index';

/** A flash that failed with a retryable code (every write corrupted) in a console run that has ended since. */
async function failedInEarlierRun() {
  const dataDir = await tempDir('zuc-data-');
  const port = await closedPort();
  const stateDir = await tempDir('zuc-sim-');
  const faulty = await startTerminal({ port, stateDir, faults: [parseFaultSpec('corrupt-write')] });
  const image = await imageFile({ version: 'B02' });
  const earlier = createEngine({ dataDir, timeouts: TEST_TIMEOUTS });
  await earlier.addDevice({ address: faulty.address });
  const failed = await flash(earlier, faulty.address, image.path);
  expect(failed.report.code).toBe(E.READBACK_MISMATCH.code);
  expect(failed.views.at(-1)!.canRetry).toBe(true);
  await earlier.close();
  await faulty.close();
  return { dataDir, port, stateDir, image, failed: failed.report };
}

const retryableIn = (jobs: JobView[], id: string) => jobs.find((j) => j.id === id)?.canRetry;

describe('retrying a job of an earlier console run', () => {
  it('flashes the same image again after the engine restarted on the same database, and then offers no second retry', async () => {
    const { dataDir, port, stateDir, image, failed } = await failedInEarlierRun();
    // The same terminal, repaired, back on its port.
    const terminal = await startTerminal({ port, stateDir });
    const engine = await startEngine({ dataDir });
    expect(retryableIn((await engine.getSnapshot({})).jobs, failed.jobId)).toBe(true);
    await engine.addDevice({ address: terminal.address });

    const retried = await followJob(engine, terminal.address, () => engine.retryJob({ jobId: failed.jobId }));
    expect(retried.report.result).toBe('success');
    expect(retried.report.imageName).toBe(failed.imageName);
    expect(Buffer.from((await terminal.readSlot('b')).subarray(0, image.bytes.byteLength))).toEqual(Buffer.from(image.bytes));
    expect(terminal.inspect().slots.b.version).toBe('B02');

    // A later job ran on the terminal: the earlier failure is no longer what Retry would repeat.
    expect(await refusal(engine.retryJob({ jobId: failed.jobId }))).toBe(E.RETRY_UNAVAILABLE.code);
    const jobs = (await engine.getSnapshot({})).jobs;
    expect(jobs.some((j) => j.id === failed.jobId)).toBe(false);
    expect(retryableIn(jobs, retried.report.jobId)).toBe(false);
  });

  it('refuses, starting nothing, when the image file changed or is gone since the failed job read it', async () => {
    const { dataDir, port, stateDir, image, failed } = await failedInEarlierRun();
    const terminal = await startTerminal({ port, stateDir });
    const engine = await startEngine({ dataDir });
    await engine.addDevice({ address: terminal.address });
    const started: string[] = [];
    engine.onJobChanged((v) => started.push(v.id));

    const changed = Uint8Array.from(image.bytes);
    changed[changed.length - 1]! ^= 0xff;
    await writeFile(image.path, changed);
    expect(await refusal(engine.retryJob({ jobId: failed.jobId }))).toBe(E.RETRY_IMAGE_CHANGED.code);
    await rm(image.path);
    expect(await refusal(engine.retryJob({ jobId: failed.jobId }))).toBe(E.RETRY_IMAGE_CHANGED.code);
    expect(started).toEqual([]);
    expect(terminal.inspect().payloadBytesReceived).toBe(0);
  });

  it('answers a damaged stored plan with its code, and still loads the snapshot', async () => {
    const { dataDir, failed } = await failedInEarlierRun();
    const raw = new Database(path.join(dataDir, DATABASE_FILE));
    raw.prepare(`UPDATE jobs SET retry_plan_json = ? WHERE id = ?`).run('{"kind":"flash","address":', failed.jobId);
    raw.close();
    const engine = await startEngine({ dataDir });
    expect(await refusal(engine.retryJob({ jobId: failed.jobId }))).toBe(E.RETRY_PLAN_DAMAGED.code);
    expect(retryableIn((await engine.getSnapshot({})).jobs, failed.jobId)).toBeUndefined();
  });
});

describe('an update that failed before anything was flashed', () => {
  it('is in the snapshot with Retry offered (a reloaded page sees it), also after a restart, and retries the whole update', async () => {
    const dataDir = await tempDir('zuc-data-');
    const port = await closedPort();
    const address = `tcp://127.0.0.1:${port}`;
    const first = await startEngine({ dataDir });
    await first.updateSettings({ sources: [{ kind: 'library', folder: await tempDir('zuc-library-') }] });
    // The terminal is not plugged in yet: the update ends at detect, before any download or flash.
    const report = await new Promise<UpdateReportView>((resolve) => {
      first.onUpdateReport(resolve);
      void first.startUpdate({ addresses: [address] });
    });
    expect(report.result).toBe('failed');
    expect(report.bytesSent).toBe(0);
    expect(lookupError(report.code)?.retryable).toBe(true);
    expect(retryableIn((await first.getSnapshot({})).jobs, report.jobId)).toBe(true);
    await first.close();

    const terminal = await startTerminal({ port, version: 'B01' });
    const engine = await startEngine({ dataDir });
    expect(retryableIn((await engine.getSnapshot({})).jobs, report.jobId)).toBe(true);
    const again = new Promise<UpdateReportView>((resolve) => engine.onUpdateReport(resolve));
    expect(await engine.retryJob({ jobId: report.jobId })).toEqual({ kind: 'update', address: terminal.address, job: null });
    const second = await again;
    expect(second.jobId).not.toBe(report.jobId);
    // It reached the terminal this time: an empty library offers nothing newer.
    expect(second.serial).toBe(terminal.serial);
    expect(second.code).toBe(E.UPDATE_NOT_FOUND.code);
    expect(retryableIn((await engine.getSnapshot({})).jobs, report.jobId)).toBeUndefined();
  });
});
