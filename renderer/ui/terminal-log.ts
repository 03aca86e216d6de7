import type { JobView } from '../../electron/shared/contract';

/** The newest job that ran on `address` (jobOrder is newest first), or undefined when none has. */
export function newestJobOf(address: string, jobOrder: readonly string[], jobs: Readonly<Record<string, JobView>>): JobView | undefined {
  for (const id of jobOrder) {
    const job = jobs[id];
    if (job?.address === address) return job;
  }
  return undefined;
}

/** The ids of every job that ran on `address`, newest first. */
export function jobsOnTerminal(address: string, jobOrder: readonly string[], jobs: Readonly<Record<string, JobView>>): string[] {
  return jobOrder.filter((id) => jobs[id]?.address === address);
}

/** Frames to wait for the Troubleshoot screen to render the terminal's log. */
const REVEAL_FRAMES = 30;

/**
 * Brings the Troubleshoot log into view and moves focus there once it is
 * rendered: the log itself when its lines are in, else the log section.
 */
export function revealTroubleshootLog(frames = REVEAL_FRAMES): void {
  requestAnimationFrame(() => {
    const section = document.querySelector<HTMLElement>('.troubleshoot-log');
    const log = section?.querySelector<HTMLElement>('.log');
    if (section && (log || frames <= 0)) {
      section.scrollIntoView({ block: 'start' });
      const target = log ?? section;
      if (!log) section.tabIndex = -1;
      target.focus({ preventScroll: true });
      return;
    }
    if (frames > 0) revealTroubleshootLog(frames - 1);
  });
}
