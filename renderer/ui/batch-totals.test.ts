import { describe, expect, it } from 'vitest';
import type { JobView } from '../../electron/shared/contract';
import { batchTotals, withUpdateReports } from './batch-totals';

const report = (result: 'success' | 'failed') => ({
  jobId: 'x', address: 'a', serial: 's', model: 'm', imageName: 'i', result, code: result === 'success' ? 'ZUC-0000' : 'ZUC-3001', error: null,
  stages: [], fromVersion: '1', toVersion: '2', activeSlot: 'a' as const, bytesSent: 0, durationMs: 0, startedAt: '', finishedAt: '',
});
function job(id: string, address: string, createdAt: string, state: JobView['state']): JobView {
  return { id, address, imageName: 'i', createdAt, state, stages: [] };
}

const jobs = [
    job('1', 'tcp://a', '2026-11-28T10:00:01Z', { kind: 'done', report: report('success') }),
    job('2', 'tcp://b', '2026-11-28T10:00:01Z', { kind: 'done', report: report('failed') }),
    job('3', 'tcp://c', '2026-11-28T10:00:01Z', { kind: 'installing', step: 'write', progress: { bytesDone: 1, bytesTotal: 2, bytesPerSecond: 1000, etaMs: 1 } }),
    job('old', 'tcp://a', '2026-11-28T09:00:00Z', { kind: 'done', report: report('failed') }),
  ];

describe('batch totals', () => {
  it('counts only the batch’s jobs, with terminals still waiting in the total and running rates summed', () => {
    const totals = batchTotals(jobs, { addresses: ['tcp://a', 'tcp://b', 'tcp://c', 'tcp://d'], startedAt: '2026-11-28T10:00:00Z' });
    expect(totals).toEqual({ total: 4, done: 2, failed: 1, bytesPerSecond: 1000 });
  });
  it('counts a retried terminal once, by its newest job', () => {
    const retry = job('4', 'tcp://b', '2026-11-28T10:00:09Z', { kind: 'detecting' });
    const totals = batchTotals([retry, ...jobs], { addresses: ['tcp://a', 'tcp://b', 'tcp://c'], startedAt: '2026-11-28T10:00:00Z' });
    expect(totals).toMatchObject({ total: 3, done: 1, failed: 0 });
  });
  it('counts every job when no batch was started here', () => {
    expect(batchTotals(jobs, null)).toMatchObject({ total: 4, done: 3, failed: 2 });
  });
});

describe('update jobs that ended before flashing', () => {
  it('count in the batch from their report alone', () => {
    const early = { ...report('failed'), jobId: 'u1', address: 'tcp://d', startedAt: '2026-11-28T10:00:02Z', package: null, source: null, delta: false, bytesSaved: 0 };
    const all = withUpdateReports(jobs, { u1: early });
    expect(all[0]?.id).toBe('u1');
    const totals = batchTotals(all, { addresses: ['tcp://a', 'tcp://b', 'tcp://c', 'tcp://d'], startedAt: '2026-11-28T10:00:00Z' });
    expect(totals).toMatchObject({ total: 4, done: 3, failed: 2 });
  });
});
