import { describe, expect, it } from 'vitest';
import type { JobReport } from '../../shared/contract';
import { E, type ErrorEntry } from '../../shared/errors';
import { JobStore, openDatabase } from '../store';
import { finishedReport as report, startEngine, tempDir } from '../test-kit';

const failure = (code: ErrorEntry, detail: string) => ({ code: code.code, title: code.title, cause: code.cause, remedy: code.remedy, retryable: code.retryable, detail });

/** Four finished jobs on two terminals, written the way a flash job writes them, into the engine's own database. */
async function historyDir(): Promise<string> {
  const dir = await tempDir('zuc-history-');
  const db = openDatabase(dir);
  const store = new JobStore(db);
  const jobs: JobReport[] = [
    report('j1', { startedAt: '2026-11-01T10:00:00.000Z' }),
    report('j2', { startedAt: '2026-11-02T10:00:00.000Z', result: 'rolled-back', code: E.BOOT_FAILED_ROLLED_BACK.code, error: failure(E.BOOT_FAILED_ROLLED_BACK, 'slot b never confirmed, "tries" used up') }),
    report('j3', { startedAt: '2026-11-03T10:00:00.000Z', serial: 'ZTE0002', address: 'tcp://127.0.0.1:5601', model: 'MC801A', result: 'rolled-back', code: E.BOOT_FAILED_ROLLED_BACK.code, error: failure(E.BOOT_FAILED_ROLLED_BACK, 'x') }),
    report('j4', { startedAt: '2026-11-04T10:00:00.000Z', serial: 'ZTE0002', address: 'tcp://127.0.0.1:5601', model: 'MC801A', result: 'failed', code: E.READBACK_MISMATCH.code, error: failure(E.READBACK_MISMATCH, 'hash differs,\nat 0x10') }),
  ];
  for (const job of jobs) {
    store.insertJob({ id: job.jobId, address: job.address, imageName: job.imageName, createdAt: job.startedAt });
    store.finishJob(job);
  }
  db.close();
  return dir;
}

const ids = (reports: JobReport[]) => reports.map((r) => r.jobId);

describe('history filters, CSV export and error statistics', () => {
  it('narrows the history by terminal, model, result, code and date range', async () => {
    const engine = await startEngine({ dataDir: await historyDir() });
    expect(ids(await engine.listHistory({}))).toEqual(['j4', 'j3', 'j2', 'j1']);
    expect(ids(await engine.listHistory({ terminal: 'ZTE0002' }))).toEqual(['j4', 'j3']);
    expect(ids(await engine.listHistory({ terminal: 'tcp://127.0.0.1:5600' }))).toEqual(['j2', 'j1']);
    expect(ids(await engine.listHistory({ model: 'MF286D', result: 'rolled-back' }))).toEqual(['j2']);
    expect(ids(await engine.listHistory({ code: 'zuc-4002' }))).toEqual(['j3', 'j2']);
    expect(ids(await engine.listHistory({ from: '2026-11-02T00:00:00Z', to: '2026-11-03T23:59:59+00:00' }))).toEqual(['j3', 'j2']);
    // A bound in another time zone means the same instant: 12:00+02:00 is 10:00Z, so j3 is included.
    expect(ids(await engine.listHistory({ from: '2026-11-03T12:00:00+02:00', limit: 1 }))).toEqual(['j4']);
    await expect(engine.listHistory({ from: 'yesterday' })).rejects.toMatchObject({ code: E.BAD_REQUEST.code });
  });

  it('exports the filtered history as RFC 4180 CSV', async () => {
    const engine = await startEngine({ dataDir: await historyDir() });
    const { csv } = await engine.exportHistoryCsv({ result: 'rolled-back' });
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('job_id,started_at,finished_at,address,serial,model,image,from_version,to_version,result,code,error,active_slot,duration_ms,bytes_sent');
    expect(lines[1]).toMatch(/^j3,/);
    // The error detail has quotes and a comma: the field is quoted, quotes doubled.
    expect(lines[2]).toContain(`"New firmware did not boot; the terminal went back to the old one: slot b never confirmed, ""tries"" used up"`);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    const all = (await engine.exportHistoryCsv({})).csv;
    // A line break inside a field stays inside its quotes.
    expect(all).toContain('"Written firmware does not match the image: hash differs,\nat 0x10"');
  });

  it('counts each code that ended a job and names the terminals it hit', async () => {
    const engine = await startEngine({ dataDir: await historyDir() });
    expect(await engine.getErrorStats({})).toEqual([
      { code: E.READBACK_MISMATCH.code, count: 1, serials: ['ZTE0002'] },
      { code: E.BOOT_FAILED_ROLLED_BACK.code, count: 2, serials: ['ZTE0001', 'ZTE0002'] },
    ]);
  });
});
