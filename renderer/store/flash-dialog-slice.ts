import type { StateCreator } from 'zustand';
import type { ConsoleState } from './console-state';

export interface FlashDialogSlice {
  /** Address the flash dialog was opened for; null while it is closed. */
  flashDialogFor: string | null;
  openFlashDialog(address: string): void;
  closeFlashDialog(): void;
}

export const createFlashDialogSlice: StateCreator<ConsoleState, [], [], FlashDialogSlice> = (set) => ({
  flashDialogFor: null,
  openFlashDialog: (address) => set({ flashDialogFor: address }),
  closeFlashDialog: () => set({ flashDialogFor: null }),
});
