import type { ImageRef, JobReport } from '../../shared/contract';
import { E, lookupError, ZucError } from '../../shared/errors';

/** How a job of this session was started: what Retry starts again. */
export type RetryPlan =
  | { kind: 'flash'; address: string; imageName: string; image: ImageRef }
  | { kind: 'update'; address: string }
  | { kind: 'rollback'; address: string };

/** Plans kept; a long session forgets the oldest (their jobs stay in the history). */
const MAX_RETRY_PLANS = 1_000;

/**
 * The start of every job of this engine's life, by job id, and the rule for
 * a retry: only a job that ended with a retryable catalogued code, known to
 * this session, is started again.
 */
export class RetryPlans {
  private readonly plans = new Map<string, RetryPlan>();

  remember(jobId: string, plan: RetryPlan): void {
    this.plans.delete(jobId);
    this.plans.set(jobId, plan);
    if (this.plans.size > MAX_RETRY_PLANS) this.plans.delete(this.plans.keys().next().value!);
  }

  /** The plan to start again for the job whose stored report is `report` (null while it runs or if it never existed). */
  planFor(jobId: string, report: JobReport | null): RetryPlan {
    const plan = this.plans.get(jobId);
    if (!report) {
      if (plan) throw new ZucError(E.RETRY_UNAVAILABLE, `job ${jobId} has not ended yet`);
      throw new ZucError(E.JOB_NOT_FOUND, jobId);
    }
    if (report.result === 'success') throw new ZucError(E.RETRY_UNAVAILABLE, `job ${jobId} succeeded`);
    if (!lookupError(report.code)?.retryable) throw new ZucError(E.RETRY_UNAVAILABLE, `job ${jobId} ended with ${report.code}, which another try would not fix`);
    if (!plan) throw new ZucError(E.RETRY_UNAVAILABLE, `job ${jobId} was started by an earlier console session`);
    return plan;
  }
}
