import type { StateCreator } from 'zustand';
import type { z } from 'zod';
import type { ErrorEntrySchema } from '../../electron/shared/contract';
import type { ConsoleState } from './console-state';

export type CatalogEntry = z.output<typeof ErrorEntrySchema>;

export interface ErrorsSlice {
  /** The engine's error catalog by code: adds the FUMO and TR-069 mapping to an error on screen. */
  errorCatalog: Record<string, CatalogEntry>;
  setErrorCatalog(entries: CatalogEntry[]): void;
}

export const createErrorsSlice: StateCreator<ConsoleState, [], [], ErrorsSlice> = (set) => ({
  errorCatalog: {},
  setErrorCatalog: (entries) => set({ errorCatalog: Object.fromEntries(entries.map((e) => [e.code, e])) }),
});
