import type { JobView } from '../../electron/shared/contract';

/** The newest job that ran on `address` (jobOrder is newest first), or undefined when none has. */
export function newestJobOf(address: string, jobOrder: readonly string[], jobs: Readonly<Record<string, JobView>>): JobView | undefined {
  for (const id of jobOrder) {
    const job = jobs[id];
    if (job?.address === address) return job;
  }
  return undefined;
}

/** Frames to wait for the job detail to render the newly selected job's log. */
const REVEAL_FRAMES = 30;

/**
 * Brings the job log below the terminal list into view and moves focus there,
 * once the job detail shows `jobId`: the log list when its lines are in, else the log section.
 */
export function revealJobLog(jobId: string, frames = REVEAL_FRAMES): void {
  requestAnimationFrame(() => {
    const section = document.querySelector<HTMLElement>(`.job-detail[data-job-id="${CSS.escape(jobId)}"] .job-log`);
    const list = section?.querySelector<HTMLElement>('ol.log');
    if (section && (list || frames <= 0)) {
      section.scrollIntoView({ block: 'start' });
      const target = list ?? section;
      if (!list) section.tabIndex = -1;
      target.focus({ preventScroll: true });
      return;
    }
    if (frames > 0) revealJobLog(jobId, frames - 1);
  });
}
