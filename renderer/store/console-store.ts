import { createStore, type StateCreator } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { ConsoleState, SnapshotSlice } from './console-state';
import { createConnectionSlice } from './connection-slice';
import { createDevicesSlice } from './devices-slice';
import { createErrorsSlice } from './errors-slice';
import { createFlashDialogSlice } from './flash-dialog-slice';
import { createJobsSlice } from './jobs-slice';
import { createLibrarySlice } from './library-slice';
import { createLogFilterSlice } from './log-filter-slice';
import { createNavSlice } from './nav-slice';
import { createSettingsSlice } from './settings-slice';
import { createUpdatesSlice } from './updates-slice';

const createSnapshotSlice: StateCreator<ConsoleState, [], [], SnapshotSlice> = (set) => ({
  applySnapshot: (snapshot) =>
    set((s) => {
      const jobs = Object.fromEntries(snapshot.jobs.map((j) => [j.id, j]));
      const jobOrder = [...snapshot.jobs]
        .sort((x, y) => y.createdAt.localeCompare(x.createdAt) || y.id.localeCompare(x.id))
        .map((j) => j.id);
      return {
        devices: Object.fromEntries(snapshot.devices.map((d) => [d.address, d])),
        deviceOrder: snapshot.devices.map((d) => d.address),
        jobs,
        jobOrder,
        selectedJobId: s.selectedJobId && jobs[s.selectedJobId] ? s.selectedJobId : (jobOrder[0] ?? null),
      };
    }),
});

/** A fresh store of the console's mirrored engine state; one per page, one per test. */
export function createConsoleStore() {
  return createStore<ConsoleState>()((...a) => ({
    ...createConnectionSlice(...a),
    ...createDevicesSlice(...a),
    ...createJobsSlice(...a),
    ...createErrorsSlice(...a),
    ...createFlashDialogSlice(...a),
    ...createSnapshotSlice(...a),
    ...createNavSlice(...a),
    ...createSettingsSlice(...a),
    ...createUpdatesSlice(...a),
    ...createLibrarySlice(...a),
    ...createLogFilterSlice(...a),
  }));
}

export type ConsoleStore = ReturnType<typeof createConsoleStore>;

/** The page's store. */
export const consoleStore = createConsoleStore();

/** Reads one field (or a derived value with useShallow) of the page's store. */
export function useConsole<T>(selector: (state: ConsoleState) => T): T {
  return useStore(consoleStore, selector);
}
