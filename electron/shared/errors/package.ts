import { defineErrors } from './error-entry';

/** Failures of signed update packages (see docs/package-format.md). */
export const packageErrors = defineErrors({
  PACKAGE_UNSIGNED: {
    code: 'ZUC-5001',
    title: 'The update package is not signed',
    cause: 'The package carries no signature, so its origin cannot be checked.',
    remedy: 'Use the signed package from the release; unsigned packages are refused.',
    retryable: false,
    fumo: 404,
    tr069: 9019,
  },
  PACKAGE_UNTRUSTED_KEY: {
    code: 'ZUC-5002',
    title: 'The update package is signed by an unknown key',
    cause: 'No key in the console’s trust store matches the package’s signatures.',
    remedy: 'Import the publisher’s public key into the trust store, or get the package from a trusted source.',
    retryable: false,
    fumo: 404,
    tr069: 9019,
  },
  PACKAGE_BAD_SIGNATURE: {
    code: 'ZUC-5003',
    title: 'The update package signature is invalid',
    cause: 'The manifest does not match its signature: the package was altered or damaged after signing.',
    remedy: 'Download the package again. Do not install it.',
    retryable: false,
    fumo: 404,
    tr069: 9019,
  },
});
