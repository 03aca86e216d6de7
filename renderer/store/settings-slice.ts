import type { StateCreator } from 'zustand';
import type { SettingsView } from '../../electron/shared/contract';
import type { ConsoleState } from './console-state';

export type Language = SettingsView['language'];

export interface SettingsSlice {
  /** The settings in force, as the engine last reported them; null until read. */
  settings: SettingsView | null;
  /** Language of every text on screen; follows the settings. */
  language: Language;
  applySettings(settings: SettingsView): void;
}

export const createSettingsSlice: StateCreator<ConsoleState, [], [], SettingsSlice> = (set) => ({
  settings: null,
  language: 'en',
  applySettings: (settings) => set({ settings, language: settings.language }),
});
