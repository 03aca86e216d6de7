import path from 'node:path';
import { defaultDataDir } from '../../engine';
import { E, ZucError } from '../../shared/errors';
import type { CliContext } from '../command';

/** `--data-dir DIR`, shared by every command that reads or writes the local database. */
export const DATA_DIR_OPTION = { 'data-dir': { type: 'string' } } as const;

/** Runs a node:util parseArgs call, turning its errors into BAD_ARGUMENTS that carry the usage. */
export function parsedArgs<T>(parse: () => T, usage: string): T {
  try {
    return parse();
  } catch (err) {
    throw new ZucError(E.BAD_ARGUMENTS, `${(err as Error).message}\nusage: ${usage}`);
  }
}

/** The data folder: `--data-dir`, else ZUC_DATA_DIR, else the user data folder. */
export function dataDirFrom(value: string | boolean | (string | boolean)[] | undefined, ctx: CliContext): string {
  if (typeof value === 'string') return path.resolve(ctx.cwd, value);
  return defaultDataDir(ctx.env);
}
