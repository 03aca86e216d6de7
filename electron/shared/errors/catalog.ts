import type { ErrorEntry } from './error-entry';
import { backendErrors } from './backend';
import { configErrors } from './config';
import { deltaErrors } from './delta';
import { downloadErrors } from './download';
import { generalErrors } from './general';
import { inputErrors } from './input';
import { installErrors } from './install';
import { libraryErrors } from './library';
import { linkErrors } from './link';
import { packageErrors } from './package';
import { protocolErrors } from './protocol';
import { supportErrors } from './support';
import { updateErrors } from './update';

/** Every catalogued error, by symbolic name: `throw new ZucError(E.LINK_LOST, …)`. */
export const E = {
  ...generalErrors,
  ...inputErrors,
  ...linkErrors,
  ...protocolErrors,
  ...installErrors,
  ...packageErrors,
  ...libraryErrors,
  ...deltaErrors,
  ...downloadErrors,
  ...backendErrors,
  ...configErrors,
  ...updateErrors,
  ...supportErrors,
} as const;

export type ErrorName = keyof typeof E;

/** All entries, ordered by code. */
export const ERROR_CATALOG: readonly ErrorEntry[] = Object.values(E).sort((x, y) => x.code.localeCompare(y.code));

const byCode = new Map(ERROR_CATALOG.map((e) => [e.code, e]));

/** Finds an entry by its code, case-insensitively, with or without the `ZUC-` prefix. */
export function lookupError(code: string): ErrorEntry | undefined {
  const normal = code.trim().toUpperCase();
  return byCode.get(normal) ?? byCode.get(`ZUC-${normal}`);
}
