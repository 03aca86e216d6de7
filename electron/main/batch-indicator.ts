import type { JobView, UpdateReportView } from '../shared/contract';
import type { AppPort, NotificationConstructor, WindowPort } from './electron-ports';
import type { EngineProcess } from './engine-process';
import { JobBatch } from './job-batch';
import type { ShellText } from './shell-text';

/**
 * After the last job of a batch ends, this long without a new one and the
 * batch is over: the jobs of one update batch end, and start, a few at a time.
 */
export const BATCH_SETTLE_MS = 1_500;

export interface BatchIndicatorOptions {
  engine: Pick<EngineProcess, 'onEvent' | 'onRestarted'>;
  window(): WindowPort | null;
  app: Pick<AppPort, 'setBadgeCount'>;
  Notification: NotificationConstructor;
  platform: NodeJS.Platform;
  /** The shell's texts in the console's language now. */
  text(): Promise<ShellText>;
  settleMs?: number;
  log?: (line: string) => void;
}

export interface BatchIndicator {
  /** Jobs the engine runs now: what closing the app would stop. */
  readonly unfinishedJobs: number;
  dispose(): void;
}

/**
 * While jobs run, the taskbar (Windows, Linux) or dock (macOS) shows the
 * batch's progress, red once a job failed, and the dock badge the number of
 * jobs still running; when the batch ends a system notification counts
 * what succeeded and failed, so a technician working in another window
 * knows when to come back to the bench.
 */
export function indicateBatchProgress(options: BatchIndicatorOptions): BatchIndicator {
  const batch = new JobBatch();
  const settleMs = options.settleMs ?? BATCH_SETTLE_MS;
  const log = options.log ?? (() => {});
  let settle: ReturnType<typeof setTimeout> | null = null;
  let badge = 0;

  function setBadge(count: number): void {
    if (options.platform !== 'darwin' || count === badge) return;
    badge = count;
    options.app.setBadgeCount(count);
  }

  function setProgress(value: number, mode: 'normal' | 'error'): void {
    const window = options.window();
    if (window && !window.isDestroyed()) window.setProgressBar(value, { mode });
  }

  function finish(): void {
    settle = null;
    const counts = batch.counts;
    batch.clear();
    setProgress(-1, 'normal');
    setBadge(0);
    if (counts.total === 0 || !options.Notification.isSupported()) return;
    void options.text().then(
      (text) => new options.Notification({ title: text.batchFinishedTitle, body: text.batchFinishedBody(counts.succeeded, counts.failed) }).show(),
      (err: unknown) => log(`could not show the batch notification: ${String(err)}`),
    );
  }

  function update(): void {
    const counts = batch.counts;
    if (counts.total === 0) return;
    const running = batch.unfinished;
    if (running > 0) {
      if (settle) clearTimeout(settle);
      settle = null;
      setProgress(counts.fraction, counts.failed > 0 ? 'error' : 'normal');
      setBadge(running);
    } else if (!settle) {
      setProgress(1, counts.failed > 0 ? 'error' : 'normal');
      setBadge(0);
      settle = setTimeout(finish, settleMs);
    }
  }

  const events = options.engine.onEvent((name, payload) => {
    if (name === 'onJobChanged') batch.sawJob(payload as JobView);
    else if (name === 'onUpdateReport') batch.sawUpdateReport(payload as UpdateReportView);
    else return;
    update();
  });
  const restarts = options.engine.onRestarted(() => {
    batch.interruptAll();
    update();
  });

  return {
    get unfinishedJobs() {
      return batch.unfinished;
    },
    dispose() {
      events.dispose();
      restarts.dispose();
      if (settle) clearTimeout(settle);
    },
  };
}
