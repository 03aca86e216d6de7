import { describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import { JobStore, openDatabase } from '../store';
import { finishedReport as report, startEngine, tempDir } from '../test-kit';

describe('history statistics for the charts', () => {
  it('summarises the whole filtered history per day from the engine’s database, stage medians included', async () => {
    const dir = await tempDir('zuc-history-stats-');
    const db = openDatabase(dir);
    const store = new JobStore(db);
    const stages = (install: number) => [
      { name: 'download' as const, status: 'done' as const, ms: 2_000 },
      { name: 'install' as const, status: 'done' as const, ms: install },
    ];
    const jobs = [
      report('d1a', { startedAt: '2026-11-01T09:00:00.000Z', stages: stages(30_000) }),
      report('d1b', { startedAt: '2026-11-01T15:00:00.000Z', stages: stages(50_000), result: 'failed', code: E.READBACK_MISMATCH.code }),
      report('d4', { startedAt: '2026-11-04T10:00:00.000Z', stages: stages(40_000), model: 'MC801A' }),
    ];
    for (const job of jobs) {
      store.insertJob({ id: job.jobId, address: job.address, imageName: job.imageName, createdAt: job.startedAt });
      store.finishJob(job);
    }
    db.close();
    const engine = await startEngine({ dataDir: dir });

    const all = await engine.getHistoryStats({});
    expect(all.bucket).toBe('day');
    expect(all.periods.map((p) => [p.start.slice(0, 10), p.jobs, p.succeeded, p.failed])).toEqual([
      ['2026-11-01', 2, 1, 1],
      ['2026-11-02', 0, 0, 0],
      ['2026-11-03', 0, 0, 0],
      ['2026-11-04', 1, 1, 0],
    ]);
    expect(all.periods[0]!.medianStageMs).toMatchObject({ download: 2_000, install: 40_000, verify: null });

    // The History filters apply; a day-long range is drawn per hour.
    const oneModel = await engine.getHistoryStats({ model: 'MF286D', bucket: 'auto' });
    expect(oneModel).toMatchObject({ bucket: 'hour', jobs: 2 });
    expect(oneModel.periods).toHaveLength(7);
    await expect(engine.getHistoryStats({ bucket: 'month' as 'day' })).rejects.toMatchObject({ code: E.BAD_REQUEST.code });
  });
});
