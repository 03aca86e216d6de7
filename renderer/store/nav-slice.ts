import type { StateCreator } from 'zustand';
import type { ConsoleState } from './console-state';

/** The console's screens, in navigation order. */
export const SCREENS = ['terminals', 'updates', 'library', 'history', 'troubleshoot', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

export interface NavSlice {
  screen: Screen;
  showScreen(screen: Screen): void;
}

export const createNavSlice: StateCreator<ConsoleState, [], [], NavSlice> = (set) => ({
  screen: 'terminals',
  showScreen: (screen) => set({ screen }),
});
