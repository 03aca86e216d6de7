import type { StateCreator } from 'zustand';
import type { UpdateCheck, UpdateReportView } from '../../electron/shared/contract';
import type { ConsoleState } from './console-state';

/** The terminals of the last "Update" click: the batch the totals count. */
export interface Batch {
  addresses: string[];
  /** ISO time the batch was queued: jobs created from then on belong to it. */
  startedAt: string;
  /** What started it: the Update button (default) or a manual flash of several terminals. */
  kind?: 'update' | 'manual-flash';
}

export interface UpdatesSlice {
  /** Terminals ticked on the Terminals screen. */
  selectedAddresses: string[];
  /** What the last check found per terminal. */
  updateChecks: Record<string, UpdateCheck>;
  /** Finished update jobs by job id: package, delta and bytes saved. */
  updateReports: Record<string, UpdateReportView>;
  batch: Batch | null;
  toggleSelected(address: string): void;
  setSelected(addresses: string[]): void;
  applyUpdateCheck(check: UpdateCheck): void;
  applyUpdateReport(report: UpdateReportView): void;
  /** Many reports in one store update. */
  applyUpdateReports(reports: UpdateReportView[]): void;
  startBatch(batch: Batch): void;
}

export const createUpdatesSlice: StateCreator<ConsoleState, [], [], UpdatesSlice> = (set) => ({
  selectedAddresses: [],
  updateChecks: {},
  updateReports: {},
  batch: null,
  toggleSelected: (address) =>
    set((s) => ({
      selectedAddresses: s.selectedAddresses.includes(address) ? s.selectedAddresses.filter((a) => a !== address) : [...s.selectedAddresses, address],
    })),
  setSelected: (selectedAddresses) => set({ selectedAddresses }),
  applyUpdateCheck: (check) => set((s) => ({ updateChecks: { ...s.updateChecks, [check.address]: check } })),
  applyUpdateReport: (report) => set((s) => ({ updateReports: { ...s.updateReports, [report.jobId]: report } })),
  applyUpdateReports: (reports) =>
    set((s) => (reports.length === 0 ? {} : { updateReports: { ...s.updateReports, ...Object.fromEntries(reports.map((r) => [r.jobId, r])) } })),
  startBatch: (batch) => set({ batch }),
});
