import { describe, expect, it } from 'vitest';
import type { JobView } from '../shared/contract';
import { finishedReport } from '../engine/test-kit';
import { JobBatch } from './job-batch';

function job(id: string, state: JobView['state']): JobView {
  return { id, address: `tcp://127.0.0.1:${id}`, imageName: 'x.bin', createdAt: '2026-11-28T18:00:00.000Z', state, stages: [] };
}
const writing = (done: number): JobView['state'] => ({ kind: 'installing', step: 'write', progress: { bytesDone: done, bytesTotal: 100, bytesPerSecond: 10, etaMs: 1 } });

describe('the batch the taskbar shows', () => {
  it('counts a running write by its bytes and finished jobs as whole', () => {
    const batch = new JobBatch();
    batch.sawJob(job('1', writing(50)));
    batch.sawJob(job('2', { kind: 'queued' }));
    expect(batch.counts).toMatchObject({ total: 2, done: 0, fraction: 0.25 });
    batch.sawJob(job('2', { kind: 'done', report: finishedReport('2', { result: 'failed' }) }));
    expect(batch.counts).toMatchObject({ total: 2, done: 1, failed: 1, succeeded: 0, fraction: 0.75 });
    expect(batch.unfinished).toBe(1);
  });

  it('counts update jobs known only by their report, ignores finished jobs it never saw run, and ends cut-off jobs as failed', () => {
    const batch = new JobBatch();
    batch.sawJob(job('old', { kind: 'done', report: finishedReport('old') }));
    expect(batch.counts.total).toBe(0);
    batch.sawUpdateReport({ ...finishedReport('u1', { result: 'failed' }), package: null, source: null, delta: false, bytesSaved: 0 });
    batch.sawJob(job('3', writing(10)));
    batch.interruptAll();
    expect(batch.counts).toMatchObject({ total: 2, done: 2, failed: 2 });
    expect(batch.unfinished).toBe(0);
  });
});
