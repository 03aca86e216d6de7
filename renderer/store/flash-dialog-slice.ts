import type { StateCreator } from 'zustand';
import type { ConsoleState } from './console-state';

/** What the manual flash dialog was opened with. */
export interface FlashDialogRequest {
  /** The terminals it lists, in the order of the Terminals screen. */
  addresses: string[];
  /** A file dropped on the Terminals screen, read as soon as the dialog opens. */
  file: File | null;
  /**
   * Whether the terminals were chosen by the technician (ticked rows or a
   * row's own Flash button): then the compatible ones start ticked. Opened
   * by a drop with nothing selected, it lists every terminal and ticks none.
   */
  chosen: boolean;
}

export interface FlashDialogSlice {
  /** The open flash dialog; null while it is closed. */
  flashDialog: FlashDialogRequest | null;
  /** Opens the dialog for one terminal (its row's Flash button) or several (the selection). */
  openFlashDialog(addresses: string | readonly string[], options?: { file?: File | null; chosen?: boolean }): void;
  closeFlashDialog(): void;
}

export const createFlashDialogSlice: StateCreator<ConsoleState, [], [], FlashDialogSlice> = (set) => ({
  flashDialog: null,
  openFlashDialog: (addresses, options = {}) =>
    set({ flashDialog: { addresses: typeof addresses === 'string' ? [addresses] : [...addresses], file: options.file ?? null, chosen: options.chosen ?? true } }),
  closeFlashDialog: () => set({ flashDialog: null }),
});
