import type { JobView, UpdateReportView } from '../shared/contract';

interface TrackedJob {
  done: boolean;
  failed: boolean;
  /** 0..1 of this job's own work. */
  fraction: number;
}

export interface BatchCounts {
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  /** 0..1 over every job of the batch, a running write counted by its bytes. */
  fraction: number;
}

/** How far a job is: the write is the long part, so its bytes carry it; the stages around it count a little. */
function fractionOf(job: JobView): number {
  const state = job.state;
  if (state.kind === 'done') return 1;
  if (state.kind === 'installing') {
    if (state.step === 'write' && state.progress && state.progress.bytesTotal > 0) return 0.1 + 0.8 * (state.progress.bytesDone / state.progress.bytesTotal);
    return state.step === 'write' ? 0.1 : 0.9;
  }
  return state.kind === 'queued' ? 0 : 0.05;
}

/**
 * The jobs the engine runs now, seen from its events: a batch starts with
 * the first unfinished job and has ended once every job in it is done.
 * Update jobs that end before a flash job exists arrive only as reports;
 * they count as finished members.
 */
export class JobBatch {
  readonly #jobs = new Map<string, TrackedJob>();

  sawJob(job: JobView): void {
    const known = this.#jobs.get(job.id);
    // A finished job not seen running belongs to no batch of ours (a snapshot replay after a reconnect).
    if (!known && job.state.kind === 'done') return;
    const failed = job.state.kind === 'done' && job.state.report.result !== 'success';
    this.#jobs.set(job.id, { done: job.state.kind === 'done', failed, fraction: fractionOf(job) });
  }

  sawUpdateReport(report: UpdateReportView): void {
    const known = this.#jobs.get(report.jobId);
    if (known?.done) return;
    this.#jobs.set(report.jobId, { done: true, failed: report.result !== 'success', fraction: 1 });
  }

  /** The engine process died: its unfinished jobs ended as interrupted. */
  interruptAll(): void {
    for (const job of this.#jobs.values()) if (!job.done) Object.assign(job, { done: true, failed: true, fraction: 1 });
  }

  get unfinished(): number {
    return [...this.#jobs.values()].filter((j) => !j.done).length;
  }

  get counts(): BatchCounts {
    const jobs = [...this.#jobs.values()];
    const done = jobs.filter((j) => j.done);
    const failed = done.filter((j) => j.failed).length;
    const fraction = jobs.length === 0 ? 0 : jobs.reduce((sum, j) => sum + j.fraction, 0) / jobs.length;
    return { total: jobs.length, done: done.length, succeeded: done.length - failed, failed, fraction };
  }

  clear(): void {
    this.#jobs.clear();
  }
}
