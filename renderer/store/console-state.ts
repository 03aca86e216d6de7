import type { Snapshot } from '../../electron/shared/contract';
import type { ConnectionSlice } from './connection-slice';
import type { DevicesSlice } from './devices-slice';
import type { ErrorsSlice } from './errors-slice';
import type { FlashDialogSlice } from './flash-dialog-slice';
import type { JobsSlice } from './jobs-slice';
import type { LibrarySlice } from './library-slice';
import type { LogFilterSlice } from './log-filter-slice';
import type { NavSlice } from './nav-slice';
import type { SettingsSlice } from './settings-slice';
import type { UpdatesSlice } from './updates-slice';

export interface SnapshotSlice {
  /** Replaces devices and jobs with the engine's snapshot; the selection survives when its job still exists. */
  applySnapshot(snapshot: Snapshot): void;
}

export type ConsoleState = ConnectionSlice & DevicesSlice & JobsSlice & ErrorsSlice & FlashDialogSlice & SnapshotSlice & NavSlice & SettingsSlice & UpdatesSlice & LibrarySlice & LogFilterSlice;
