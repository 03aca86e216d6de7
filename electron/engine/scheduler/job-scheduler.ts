import { E, ZucError } from '../../shared/errors';

/** Default number of terminals updated at once: a USB hub and one laptop's CPU stay responsive. */
export const DEFAULT_CONCURRENCY = 4;
/** More parallel jobs than this is a typing error, not a fleet. */
export const MAX_CONCURRENCY = 256;

export interface SchedulerStats {
  /** The most jobs that ran at the same moment. */
  maxRunning: number;
  started: number;
  finished: number;
}

/**
 * Runs jobs with at most `concurrency` at once, in the order they were
 * submitted. A job that throws fails only its own promise: the queue goes
 * on with the others.
 */
export class JobScheduler {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private readonly counts: SchedulerStats = { maxRunning: 0, started: 0, finished: 0 };

  constructor(readonly concurrency: number = DEFAULT_CONCURRENCY) {
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new ZucError(E.BAD_ARGUMENTS, `concurrency ${concurrency}: expected a whole number from 1 to ${MAX_CONCURRENCY}`);
    }
  }

  get stats(): SchedulerStats {
    return { ...this.counts };
  }

  /** Resolves or rejects with the job's own outcome, once a slot was free and the job ran. */
  submit<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running++;
        this.counts.started++;
        this.counts.maxRunning = Math.max(this.counts.maxRunning, this.running);
        // A job that throws synchronously is still only its own failure.
        Promise.resolve()
          .then(job)
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.counts.finished++;
            this.queue.shift()?.();
          });
      };
      if (this.running < this.concurrency) start();
      else this.queue.push(start);
    });
  }
}
