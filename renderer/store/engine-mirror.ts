import type { ConsoleService, DeviceView, JobLogLine, JobReport, JobView, SettingsView, Snapshot, UpdateReportView } from '../../electron/shared/contract';
import type { ConsoleStore } from './console-store';
import type { CatalogEntry } from './errors-slice';

/** Finished jobs of earlier sessions listed under Jobs. */
const HISTORY_JOBS_SHOWN = 50;

/**
 * Longest time an engine event waits before it reaches the store. Events
 * that arrive meanwhile are applied together, in one task, so React renders
 * once for all of them: 32 terminals reporting progress ten times a second
 * cause at most 1000 / MIRROR_FLUSH_INTERVAL_MS renders a second, not 320.
 */
export const MIRROR_FLUSH_INTERVAL_MS = 100;

/**
 * Keeps the store a mirror of the engine: snapshot first, then events.
 * Device and job events that arrive before the snapshot are already in it
 * (the link keeps order), so they are dropped rather than applied to a
 * state the snapshot will replace. Events after it are held and applied at
 * most once per `flushIntervalMs`; a job's or a device's newest view
 * replaces the ones it supersedes (each view is the whole job or device, so
 * the last one is exact), log lines and reports are all kept.
 */
export function createEngineMirror(store: ConsoleStore, flushIntervalMs = MIRROR_FLUSH_INTERVAL_MS) {
  let synced = false;
  const state = () => store.getState();
  const jobs = new Map<string, JobView>();
  /** `null`: the engine removed the terminal. */
  const devices = new Map<string, DeviceView | null>();
  const reports = new Map<string, UpdateReportView>();
  let lines: JobLogLine[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastFlushAt = -Infinity;

  function flush() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    lastFlushAt = Date.now();
    const views = [...jobs.values()];
    const logLines = lines;
    const deviceChanges = [...devices.entries()];
    const finished = [...reports.values()];
    jobs.clear();
    devices.clear();
    reports.clear();
    lines = [];
    state().applyJobEvents(views, logLines);
    for (const [address, device] of deviceChanges) {
      if (device) state().applyDevice(device);
      else state().removeDevice(address);
    }
    state().applyUpdateReports(finished);
  }

  /** The first event after a quiet spell goes out on the next turn; under load, one flush per interval. */
  function schedule() {
    if (timer !== null) return;
    timer = setTimeout(flush, Math.max(0, lastFlushAt + flushIntervalMs - Date.now()));
  }

  return {
    snapshot(snapshot: Snapshot, catalog: CatalogEntry[], history: JobReport[] = []) {
      state().setErrorCatalog(catalog);
      state().applySnapshot(snapshot);
      state().applyHistory(history);
      synced = true;
    },
    deviceChanged(device: DeviceView) {
      if (!synced) return;
      devices.set(device.address, device);
      schedule();
    },
    deviceRemoved(address: string) {
      if (!synced) return;
      devices.set(address, null);
      schedule();
    },
    jobChanged(job: JobView) {
      if (!synced) return;
      jobs.set(job.id, job);
      schedule();
    },
    /** Log lines are not in the snapshot: keep every one. */
    jobLog(line: JobLogLine) {
      lines.push(line);
      schedule();
    },
    /** Settings are not part of the snapshot: the newest view wins, whenever it comes. Rare, so applied at once. */
    settingsChanged(settings: SettingsView) {
      state().applySettings(settings);
    },
    updateReport(report: UpdateReportView) {
      reports.set(report.jobId, report);
      schedule();
    },
    /** Applies every held event now. */
    flush,
    /** Drops held events and stops the timer: the mirror of a closed connection. */
    dispose() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      jobs.clear();
      devices.clear();
      reports.clear();
      lines = [];
    },
  };
}

/** Subscribes to the service's events, then loads the snapshot. Resolves once the store is in sync. */
export async function mirrorService(service: ConsoleService, store: ConsoleStore): Promise<{ dispose(): void }> {
  const mirror = createEngineMirror(store);
  const subscriptions = [
    service.onDeviceChanged((d) => mirror.deviceChanged(d)),
    service.onDeviceRemoved((e) => mirror.deviceRemoved(e.address)),
    service.onJobChanged((j) => mirror.jobChanged(j)),
    service.onJobLog((l) => mirror.jobLog(l)),
    service.onSettingsChanged((v) => mirror.settingsChanged(v)),
    service.onUpdateReport((r) => mirror.updateReport(r)),
  ];
  const dispose = () => {
    subscriptions.forEach((s) => s.dispose());
    mirror.dispose();
  };
  try {
    const [snapshot, catalog, history, settings] = await Promise.all([
      service.getSnapshot({}),
      service.listErrors({}),
      service.listHistory({ limit: HISTORY_JOBS_SHOWN }),
      service.getSettings({}),
    ]);
    mirror.snapshot(snapshot, catalog, history);
    mirror.settingsChanged(settings);
  } catch (err) {
    dispose();
    throw err;
  }
  return { dispose };
}
