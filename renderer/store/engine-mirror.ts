import type { ConsoleService, DeviceView, JobLogLine, JobReport, JobView, SettingsView, Snapshot, UpdateReportView } from '../../electron/shared/contract';
import type { ConsoleStore } from './console-store';
import type { CatalogEntry } from './errors-slice';

/** Finished jobs of earlier sessions listed under Jobs. */
const HISTORY_JOBS_SHOWN = 50;

/**
 * Keeps the store a mirror of the engine: snapshot first, then events.
 * Device and job events that arrive before the snapshot are already in it
 * (the link keeps order), so they are dropped rather than applied to a
 * state the snapshot will replace.
 */
export function createEngineMirror(store: ConsoleStore) {
  let synced = false;
  const state = () => store.getState();
  return {
    snapshot(snapshot: Snapshot, catalog: CatalogEntry[], history: JobReport[] = []) {
      state().setErrorCatalog(catalog);
      state().applySnapshot(snapshot);
      state().applyHistory(history);
      synced = true;
    },
    deviceChanged(device: DeviceView) {
      if (synced) state().applyDevice(device);
    },
    deviceRemoved(address: string) {
      if (synced) state().removeDevice(address);
    },
    jobChanged(job: JobView) {
      if (synced) state().applyJob(job);
    },
    /** Log lines are not in the snapshot: keep every one. */
    jobLog(line: JobLogLine) {
      state().appendJobLog(line);
    },
    /** Settings are not part of the snapshot: the newest view wins, whenever it comes. */
    settingsChanged(settings: SettingsView) {
      state().applySettings(settings);
    },
    updateReport(report: UpdateReportView) {
      state().applyUpdateReport(report);
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
  const dispose = () => subscriptions.forEach((s) => s.dispose());
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
