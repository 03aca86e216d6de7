import { defineErrors } from './error-entry';

/** Failures of the Firmware library screen: listing the sources' packages and importing a package file. */
export const libraryErrors = defineErrors({
  LIBRARY_NOT_CONFIGURED: {
    code: 'ZUC-5040',
    title: 'No firmware library folder is configured',
    cause: 'A package can only be imported into a library folder, and the settings list none among the update sources.',
    remedy: 'Add a library folder under Settings → Update sources, then import the package again.',
    retryable: false,
    fumo: 400,
    tr069: 9016,
  },
  LIBRARY_DUPLICATE_PACKAGE: {
    code: 'ZUC-5041',
    title: 'Another package with the same id is already in the library',
    cause: 'The library holds a different file with this package id; terminals and catalogs could not tell the two apart.',
    remedy: 'Remove or rename the older file in the library folder, or ask the publisher for a package with its own id.',
    retryable: false,
    fumo: 405,
    tr069: 9003,
  },
  LIBRARY_PACKAGE_NOT_FOUND: {
    code: 'ZUC-5042',
    title: 'The package is no longer offered by its source',
    cause: 'The package was removed from the library folder or the catalog since the list was read.',
    remedy: 'Refresh the library list and choose the package again.',
    retryable: true,
    fumo: 400,
    tr069: 9016,
  },
  LIBRARY_IMPORT_TOO_LARGE: {
    code: 'ZUC-5043',
    title: 'The package file is too large to import from the window',
    cause: 'A package imported from the console window is sent to the engine in one piece; files above 512 MiB are refused before they are read.',
    remedy: 'Copy the file into the library folder yourself: the Library screen lists it and checks its signature from there.',
    retryable: false,
    fumo: 405,
    tr069: 9004,
  },
});
