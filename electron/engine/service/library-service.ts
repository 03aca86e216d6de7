import type { ImportedPackage, LibraryListing, PackageDetails, PackageLocation } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import { importIntoLibrary } from '../sources/library-import';
import { libraryEntry, LibraryView, type LibraryViewDeps } from '../sources/library-view';

export interface LibraryService {
  listPackages(): Promise<LibraryListing>;
  getPackageDetails(where: PackageLocation): Promise<PackageDetails>;
  importPackage(file: { name: string; data: Uint8Array }): Promise<ImportedPackage>;
}

/** The Library screen's methods of the contract, on the update sources and trust store in the settings. */
export function libraryService(deps: LibraryViewDeps): LibraryService {
  const view = new LibraryView(deps);
  return {
    listPackages: () => view.list(),
    getPackageDetails: (where) => view.details(where),
    async importPackage({ name, data }) {
      const library = view.importLibrary();
      if (!library) throw new ZucError(E.LIBRARY_NOT_CONFIGURED, name);
      const imported = await importIntoLibrary({ name, data, folder: library.dir, trust: await view.trust() });
      return { alreadyPresent: imported.alreadyPresent, entry: libraryEntry(library.name, imported.package, imported.signature) };
    },
  };
}
