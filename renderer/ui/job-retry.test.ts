import { describe, expect, it } from 'vitest';
import type { JobReport, JobView } from '../../electron/shared/contract';
import { E } from '../../electron/shared/errors';
import { newestJobIds, offersRetry } from './job-retry';

/** A finished job as the engine sends it: `canRetry` is the engine's verdict. */
function finished(id: string, address: string, createdAt: string, ended: (typeof E)[keyof typeof E], canRetry?: boolean): JobView {
  const report: JobReport = {
    jobId: id, address, serial: 'SN1', model: 'MF286D', imageName: 'i.bin', result: ended === E.SUCCESS ? 'success' : 'failed', code: ended.code,
    error: ended === E.SUCCESS ? null : { code: ended.code, title: ended.title, cause: ended.cause, remedy: ended.remedy, retryable: ended.retryable, detail: '' },
    stages: [], fromVersion: '1', toVersion: '2', activeSlot: 'a', bytesSent: 0, durationMs: 0, startedAt: createdAt, finishedAt: createdAt,
  };
  return { id, address, imageName: 'i.bin', createdAt, state: { kind: 'done', report }, stages: [], ...(canRetry === undefined ? {} : { canRetry }) };
}

describe('which failed jobs offer Retry', () => {
  it('offers it exactly when the engine says retryJob would start the job again', () => {
    const jobs = [
      finished('a', 'tcp://a', '2026-11-28T10:00:00Z', E.READBACK_MISMATCH, true),
      // A retryable code, but the engine has no stored plan for it (or it is damaged): no Retry.
      finished('b', 'tcp://b', '2026-11-28T10:00:00Z', E.READBACK_MISMATCH, false),
      finished('c', 'tcp://c', '2026-11-28T10:00:00Z', E.READBACK_MISMATCH),
    ];
    const newest = newestJobIds(jobs);
    expect(jobs.map((j) => offersRetry(j, newest))).toEqual([true, false, false]);
  });

  it('stops offering it once a newer job runs on the same terminal', () => {
    const failed = finished('old', 'tcp://a', '2026-11-28T10:00:00Z', E.READBACK_MISMATCH, true);
    const retried: JobView = { id: 'new', address: 'tcp://a', imageName: 'i.bin', createdAt: '2026-11-28T10:05:00Z', state: { kind: 'verifying' }, stages: [] };
    expect(offersRetry(failed, newestJobIds([failed, retried]))).toBe(false);
    expect(offersRetry(failed, newestJobIds([failed]))).toBe(true);
  });
});
