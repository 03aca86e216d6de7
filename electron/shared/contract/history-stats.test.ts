import { describe, expect, it } from 'vitest';
import { aggregateHistory } from './history-stats';
import type { JobReport, StageName } from './job';

function report(startedAt: string, result: JobReport['result'], stageMs: Partial<Record<StageName, number>> = {}): JobReport {
  return {
    jobId: startedAt, address: 'tcp://a', serial: 'SN', model: 'MF286D', imageName: 'i.zup', result, code: result === 'success' ? 'ZUC-0000' : 'ZUC-4001', error: null,
    stages: Object.entries(stageMs).map(([name, ms]) => ({ name: name as StageName, status: 'done' as const, ms })),
    fromVersion: 'B01', toVersion: 'B02', activeSlot: 'a', bytesSent: 0, durationMs: 0, startedAt, finishedAt: startedAt,
  };
}

describe('history aggregated for the charts', () => {
  it('groups a short history by hour with counts per result and the median of each stage', () => {
    const stats = aggregateHistory(
      [
        report('2026-11-28T10:05:00.000Z', 'success', { download: 1000, install: 9000 }),
        report('2026-11-28T10:40:00.000Z', 'failed', { download: 3000 }),
        report('2026-11-28T10:50:00.000Z', 'success', { download: 2000, install: 11000 }),
        report('2026-11-28T13:10:00.000Z', 'rolled-back', { download: 500 }),
      ],
      { bucket: 'auto', utcOffsetMinutes: 0 },
    );
    expect(stats.bucket).toBe('hour');
    expect(stats.jobs).toBe(4);
    expect(stats.periods.map((p) => [p.start, p.jobs])).toEqual([
      ['2026-11-28T10:00:00.000Z', 3],
      ['2026-11-28T11:00:00.000Z', 0],
      ['2026-11-28T12:00:00.000Z', 0],
      ['2026-11-28T13:00:00.000Z', 1],
    ]);
    expect(stats.periods[0]).toMatchObject({ succeeded: 2, failed: 1, rolledBack: 0, medianStageMs: { download: 2000, install: 10000, verify: null } });
    expect(stats.periods[3]).toMatchObject({ rolledBack: 1, medianStageMs: { download: 500 } });
  });

  it('groups a longer history by the user’s days, starting at the user’s midnight', () => {
    // 23:30 UTC is already the next day in Beijing (UTC+8).
    const reports = [report('2026-11-20T23:30:00.000Z', 'success'), report('2026-11-21T01:00:00.000Z', 'failed'), report('2026-11-25T12:00:00.000Z', 'success')];
    const beijing = aggregateHistory(reports, { bucket: 'auto', utcOffsetMinutes: 480 });
    expect(beijing.bucket).toBe('day');
    expect(beijing.periods[0]).toMatchObject({ start: '2026-11-20T16:00:00.000Z', jobs: 2, succeeded: 1, failed: 1 });
    expect(beijing.periods).toHaveLength(5);
    const utc = aggregateHistory(reports, { bucket: 'day', utcOffsetMinutes: 0 });
    expect(utc.periods.slice(0, 2).map((p) => p.jobs)).toEqual([1, 1]);
  });

  it('summarises years of a busy bench in one pass', () => {
    const DAY_MS = 24 * 3600_000;
    const base = Date.parse('2024-01-01T08:00:00.000Z');
    const reports = Array.from({ length: 150_000 }, (_, i) => report(new Date(base + Math.floor(i / 200) * DAY_MS + (i % 200) * 60_000).toISOString(), i % 10 ? 'success' : 'failed', { install: 30_000 + (i % 7) * 1000 }));
    const stats = aggregateHistory(reports, { bucket: 'day', utcOffsetMinutes: 0 });
    expect(stats).toMatchObject({ bucket: 'day', jobs: 150_000 });
    expect(stats.periods).toHaveLength(750);
    expect(stats.periods[0]).toMatchObject({ jobs: 200, succeeded: 180, failed: 20 });
  });

  it('groups months of history by week, from the user’s Monday', () => {
    // 2026-06-01 was a Monday; 120 days later is 2026-09-29, a Tuesday.
    const reports = [report('2026-06-01T00:30:00.000Z', 'success'), report('2026-06-07T20:00:00.000Z', 'failed'), report('2026-09-29T12:00:00.000Z', 'success')];
    const stats = aggregateHistory(reports, { bucket: 'auto', utcOffsetMinutes: 0 });
    expect(stats.bucket).toBe('week');
    expect(stats.periods[0]).toMatchObject({ start: '2026-06-01T00:00:00.000Z', jobs: 2, failed: 1 });
    expect(stats.periods.at(-1)).toMatchObject({ start: '2026-09-28T00:00:00.000Z', jobs: 1 });
    expect(stats.periods).toHaveLength(18);
    // In New York (UTC-4 in June) 00:30 UTC on Monday is still Sunday evening: the previous week.
    expect(aggregateHistory(reports, { bucket: 'week', utcOffsetMinutes: -240 }).periods[0]).toMatchObject({ start: '2026-05-25T04:00:00.000Z', jobs: 1 });
  });

  it('has no periods for no jobs', () => {
    expect(aggregateHistory([], { bucket: 'auto', utcOffsetMinutes: 0 })).toEqual({ bucket: 'hour', jobs: 0, periods: [] });
  });
});
