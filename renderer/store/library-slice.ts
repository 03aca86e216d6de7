import type { StateCreator } from 'zustand';
import type { LibraryEntry, LibraryListing } from '../../electron/shared/contract';
import type { ErrorPayload } from '../../electron/shared/errors';
import type { ConsoleState } from './console-state';

/** Where an import of a package file stands; one at a time. */
export type PackageImport =
  | { kind: 'idle' }
  | { kind: 'verifying'; name: string }
  | { kind: 'imported'; name: string; entry: LibraryEntry; alreadyPresent: boolean }
  | { kind: 'refused'; name: string; error: ErrorPayload };

export interface LibrarySlice {
  /** The sources' packages as last listed; kept while the screen reads them again. */
  libraryListing: LibraryListing | null;
  libraryLoading: boolean;
  /** Why the list could not be read at all (a source that fails is in the listing instead). */
  libraryError: ErrorPayload | null;
  packageImport: PackageImport;
  libraryLoadStarted(): void;
  applyLibraryListing(listing: LibraryListing): void;
  libraryLoadFailed(error: ErrorPayload): void;
  setPackageImport(state: PackageImport): void;
}

export const createLibrarySlice: StateCreator<ConsoleState, [], [], LibrarySlice> = (set) => ({
  libraryListing: null,
  libraryLoading: false,
  libraryError: null,
  packageImport: { kind: 'idle' },
  libraryLoadStarted: () => set({ libraryLoading: true }),
  applyLibraryListing: (libraryListing) => set({ libraryListing, libraryLoading: false, libraryError: null }),
  libraryLoadFailed: (libraryError) => set({ libraryError, libraryLoading: false }),
  setPackageImport: (packageImport) => set({ packageImport }),
});
