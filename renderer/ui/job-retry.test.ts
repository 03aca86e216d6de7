import { describe, expect, it } from 'vitest';
import type { JobReport, JobView } from '../../electron/shared/contract';
import { E } from '../../electron/shared/errors';
import type { CatalogEntry } from '../store/errors-slice';
import { newestJobIds, offersRetry } from './job-retry';

const catalog: Record<string, CatalogEntry> = Object.fromEntries(Object.values(E).map((e) => [e.code, { ...e }]));

function finished(id: string, address: string, createdAt: string, ended: (typeof E)[keyof typeof E]): JobView {
  const report: JobReport = {
    jobId: id, address, serial: 'SN1', model: 'MF286D', imageName: 'i.bin', result: ended === E.SUCCESS ? 'success' : 'failed', code: ended.code,
    error: ended === E.SUCCESS ? null : { code: ended.code, title: ended.title, cause: ended.cause, remedy: ended.remedy, retryable: ended.retryable, detail: '' },
    stages: [], fromVersion: '1', toVersion: '2', activeSlot: 'a', bytesSent: 0, durationMs: 0, startedAt: createdAt, finishedAt: createdAt,
  };
  return { id, address, imageName: 'i.bin', createdAt, state: { kind: 'done', report }, stages: [] };
}

describe('which failed jobs offer Retry', () => {
  it('offers it for a retryable code and not for a code another try would not fix, nor for a success', () => {
    const jobs = [finished('a', 'tcp://a', '2026-11-28T10:00:00Z', E.READBACK_MISMATCH), finished('b', 'tcp://b', '2026-11-28T10:00:00Z', E.BOOT_FAILED_ROLLED_BACK), finished('c', 'tcp://c', '2026-11-28T10:00:00Z', E.SUCCESS)];
    const newest = newestJobIds(jobs);
    expect(jobs.map((j) => offersRetry(j, catalog, newest))).toEqual([true, false, false]);
  });

  it('stops offering it once a newer job runs on the same terminal', () => {
    const failed = finished('old', 'tcp://a', '2026-11-28T10:00:00Z', E.READBACK_MISMATCH);
    const retried: JobView = { id: 'new', address: 'tcp://a', imageName: 'i.bin', createdAt: '2026-11-28T10:05:00Z', state: { kind: 'verifying' }, stages: [] };
    expect(offersRetry(failed, catalog, newestJobIds([failed, retried]))).toBe(false);
    expect(offersRetry(failed, catalog, newestJobIds([failed]))).toBe(true);
  });

  it('is not offered for a job of an earlier session, which the engine can no longer start the same way', () => {
    const job = finished('a', 'tcp://a', '2026-11-28T10:00:00Z', E.READBACK_MISMATCH);
    expect(offersRetry(job, catalog, newestJobIds([job]), { a: true })).toBe(false);
  });

  it('follows the engine’s catalog over the flag the report carried', () => {
    const job = finished('a', 'tcp://a', '2026-11-28T10:00:00Z', E.READBACK_MISMATCH);
    const strict = { ...catalog, [E.READBACK_MISMATCH.code]: { ...catalog[E.READBACK_MISMATCH.code]!, retryable: false } };
    expect(offersRetry(job, strict, newestJobIds([job]))).toBe(false);
  });
});
