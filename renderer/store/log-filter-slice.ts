import type { StateCreator } from 'zustand';
import type { ConsoleState } from './console-state';

/** What the Troubleshoot log is narrowed to beyond its own job and level selects. */
export interface LogFilterSlice {
  /** The terminal whose jobs the Troubleshoot log shows, by address; null shows one job of any terminal. */
  logTerminal: string | null;
  /** Takes the reader to the Troubleshoot screen with the log of every job that ran on `address`. */
  openTerminalLog(address: string): void;
  /** Removes the terminal filter: the log offers every job again. */
  clearLogTerminal(): void;
}

export const createLogFilterSlice: StateCreator<ConsoleState, [], [], LogFilterSlice> = (set) => ({
  logTerminal: null,
  openTerminalLog: (address) => set({ logTerminal: address, screen: 'troubleshoot' }),
  clearLogTerminal: () => set({ logTerminal: null }),
});
