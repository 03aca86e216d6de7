import type { JobView, UpdateReportView } from '../../electron/shared/contract';
import { jobFromReport } from '../store/jobs-slice';
import { newestJobIds } from './job-retry';
import type { Batch } from '../store/updates-slice';

export interface BatchTotals {
  total: number;
  done: number;
  failed: number;
  /** Sum of the running transfers' rates. */
  bytesPerSecond: number;
}

/**
 * Jobs of the batch: on its terminals, created since it was queued, the
 * newest on each terminal (a retry takes the place of the try it repeats).
 * Without a batch, every job counts.
 */
export function batchJobs(jobs: JobView[], batch: Batch | null): JobView[] {
  if (!batch) return jobs;
  const members = jobs.filter((j) => batch.addresses.includes(j.address) && j.createdAt >= batch.startedAt);
  const newest = newestJobIds(members);
  return members.filter((j) => newest.has(j.id));
}

export function batchTotals(jobs: JobView[], batch: Batch | null): BatchTotals {
  const members = batchJobs(jobs, batch);
  let done = 0;
  let failed = 0;
  let bytesPerSecond = 0;
  for (const job of members) {
    if (job.state.kind === 'done') {
      done++;
      if (job.state.report.result !== 'success') failed++;
    }
    if (job.state.kind === 'installing' && job.state.progress) bytesPerSecond += job.state.progress.bytesPerSecond;
  }
  // A queued terminal whose job has not appeared yet still counts towards the total.
  return { total: Math.max(batch ? batch.addresses.length : 0, members.length), done, failed, bytesPerSecond };
}

/**
 * The jobs plus update jobs known only by their report: an update that ends
 * before anything is flashed (no package, source down) never has a live job.
 */
export function withUpdateReports(jobs: JobView[], reports: Record<string, UpdateReportView>): JobView[] {
  const known = new Set(jobs.map((j) => j.id));
  const reportOnly = Object.values(reports)
    .filter((r) => !known.has(r.jobId))
    .map(jobFromReport);
  return [...jobs, ...reportOnly].sort((x, y) => y.createdAt.localeCompare(x.createdAt) || y.id.localeCompare(x.id));
}
