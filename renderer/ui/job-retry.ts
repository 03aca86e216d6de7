import type { JobView } from '../../electron/shared/contract';
import type { ErrorPayload } from '../../electron/shared/errors';

/** The error a finished job ended with, when it did not succeed. */
export function jobFailure(job: JobView): ErrorPayload | null {
  return job.state.kind === 'done' && job.state.report.result !== 'success' ? job.state.report.error : null;
}

/**
 * Whether a job offers Retry: the engine said `retryJob` would start it
 * again (`canRetry`, judged on the engine's own rule and its history), and
 * no later job has appeared on its terminal since that view was sent (a
 * retry, or anything else, supersedes it; the engine refuses those too).
 */
export function offersRetry(job: JobView, newestOnTerminal: ReadonlySet<string>): boolean {
  return job.canRetry === true && newestOnTerminal.has(job.id);
}

/** Ids of the newest job on each terminal. */
export function newestJobIds(jobs: readonly JobView[]): Set<string> {
  const newest = new Map<string, JobView>();
  for (const job of jobs) {
    const known = newest.get(job.address);
    if (!known || job.createdAt > known.createdAt || (job.createdAt === known.createdAt && job.id > known.id)) newest.set(job.address, job);
  }
  return new Set([...newest.values()].map((j) => j.id));
}
