import { finishedJobView, type JobReport, type JobView } from '../../shared/contract';
import { E, lookupError, ZucError } from '../../shared/errors';
import { RetryPlanStore, type RetryPlan, type StoredPlan } from '../store/retry-plan-store';

export type { RetryPlan } from '../store/retry-plan-store';

/**
 * The start of every job, kept in the history with the job, and the one
 * rule for a retry: a finished job that did not succeed, ended with a
 * retryable catalogued code, whose start is stored, and after which nothing
 * else ran on its terminal. The same rule sets `canRetry` on job views.
 */
export class RetryPlans {
  private readonly store: RetryPlanStore;

  constructor(db: ConstructorParameters<typeof RetryPlanStore>[0]) {
    this.store = new RetryPlanStore(db);
  }

  /** Stores how a job (already in the history) was started. */
  remember(jobId: string, plan: RetryPlan): void {
    this.store.save(jobId, plan);
  }

  /** A flash job read its image: a retry must flash exactly these bytes. */
  imageRead(jobId: string, sha256: string): void {
    const stored = this.store.load(jobId);
    if (stored.found && stored.plan?.kind === 'flash' && stored.plan.sha256 === null) this.store.save(jobId, { ...stored.plan, sha256 });
  }

  /** The plan to start again for the job whose stored report is `report` (null while it runs or if it never existed). */
  planFor(jobId: string, report: JobReport | null): RetryPlan {
    let stored: StoredPlan | ZucError;
    try {
      stored = this.store.load(jobId);
    } catch (err) {
      stored = ZucError.from(err);
    }
    if (!(stored instanceof ZucError) && !stored.found) throw new ZucError(E.JOB_NOT_FOUND, jobId);
    if (!report) throw new ZucError(E.RETRY_UNAVAILABLE, `job ${jobId} has not ended yet`);
    if (report.result === 'success') throw new ZucError(E.RETRY_UNAVAILABLE, `job ${jobId} succeeded`);
    if (!lookupError(report.code)?.retryable) throw new ZucError(E.RETRY_UNAVAILABLE, `job ${jobId} ended with ${report.code}, which another try would not fix`);
    if (stored instanceof ZucError) throw stored;
    if (!stored.plan) throw new ZucError(E.RETRY_UNAVAILABLE, `job ${jobId} was started by a console that did not store how`);
    const later = this.store.laterJobOnTerminal(jobId);
    if (later) throw new ZucError(E.RETRY_UNAVAILABLE, `job ${later} has run on ${report.address} since job ${jobId}`);
    return stored.plan;
  }

  /** Whether `retryJob` would start the job this view shows again. */
  canRetry(view: JobView): boolean {
    if (view.state.kind !== 'done') return false;
    try {
      this.planFor(view.id, view.state.report);
      return true;
    } catch {
      return false;
    }
  }

  /** The view as the engine sends it: a finished job says whether Retry applies. */
  judged(view: JobView): JobView {
    return view.state.kind === 'done' ? { ...view, canRetry: this.canRetry(view) } : view;
  }

  /**
   * Finished jobs not in `live` that Retry still applies to (the newest job
   * on their terminal, from this or an earlier console run), as views: what
   * a snapshot adds so a reloaded page or a restarted console offers them.
   */
  earlierRetryable(live: ReadonlySet<string>, report: (jobId: string) => JobReport | undefined): JobView[] {
    return this.store
      .candidates()
      .filter((id) => !live.has(id))
      .flatMap((id) => {
        const found = report(id);
        return found ? [this.judged(finishedJobView(found))] : [];
      })
      .filter((view) => view.canRetry === true);
  }
}
