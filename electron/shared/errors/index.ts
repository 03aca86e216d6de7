export type { ErrorEntry } from './error-entry';
export { E, ERROR_CATALOG, lookupError, type ErrorName } from './catalog';
export { ZucError, type ErrorPayload } from './zuc-error';
