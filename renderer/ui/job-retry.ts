import type { JobView } from '../../electron/shared/contract';
import type { ErrorPayload } from '../../electron/shared/errors';
import type { CatalogEntry } from '../store/errors-slice';

/** The error a finished job ended with, when it did not succeed. */
export function jobFailure(job: JobView): ErrorPayload | null {
  return job.state.kind === 'done' && job.state.report.result !== 'success' ? job.state.report.error : null;
}

/**
 * Whether a job offers Retry: it ended with a code the error catalog calls
 * retryable, no later job has been started on its terminal (a retry, or
 * anything else, supersedes it), and it ran in this engine's session (the
 * engine keeps how a job was started only for those).
 */
export function offersRetry(job: JobView, catalog: Record<string, CatalogEntry>, newestOnTerminal: ReadonlySet<string>, earlier: Readonly<Record<string, true>> = {}): boolean {
  const failure = jobFailure(job);
  if (!failure || !newestOnTerminal.has(job.id) || earlier[job.id]) return false;
  return catalog[failure.code]?.retryable ?? failure.retryable;
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
