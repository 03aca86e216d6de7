import { describe, expect, it } from 'vitest';
import type { HistoryStats } from '../../electron/shared/contract';
import { chartRows, overallSuccessRate, slowestStage } from './history-chart-data';

const none = { detect: null, download: null, verify: null, install: null, report: null };
const stats: HistoryStats = {
  bucket: 'hour',
  jobs: 4,
  periods: [
    { start: '2026-11-28T10:00:00.000Z', jobs: 3, succeeded: 2, failed: 1, rolledBack: 0, medianStageMs: { ...none, download: 1_250, install: 42_000 } },
    { start: '2026-11-28T11:00:00.000Z', jobs: 0, succeeded: 0, failed: 0, rolledBack: 0, medianStageMs: none },
    { start: '2026-11-28T12:00:00.000Z', jobs: 1, succeeded: 1, failed: 0, rolledBack: 0, medianStageMs: { ...none, download: 900, install: 10_000 } },
  ],
};

describe('History chart data', () => {
  it('gives each period its success rate in percent and stage medians in seconds; an empty period is a gap', () => {
    const rows = chartRows(stats, 'en');
    expect(rows.map((r) => r.successRate)).toEqual([66.7, null, 100]);
    expect(rows[0]).toMatchObject({ download: 1.3, install: 42, verify: null, jobs: 3, failed: 1 });
    expect(rows[0]!.label).toMatch(/\d{2}:00/);
  });

  it('sums the whole range and names the slowest stage, weighted by jobs', () => {
    expect(overallSuccessRate(stats)).toBe(75);
    expect(slowestStage(stats)).toEqual({ stage: 'install', ms: (3 * 42_000 + 10_000) / 4 });
    expect(overallSuccessRate({ bucket: 'day', jobs: 0, periods: [] })).toBeNull();
    expect(slowestStage({ bucket: 'day', jobs: 0, periods: [] })).toBeNull();
  });
});
