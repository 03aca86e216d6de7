import fs from 'node:fs/promises';
import path from 'node:path';
import { defaultDataDir } from '../../engine/data-dir';
import { defaultTrustStoreDir } from '../../engine/package';
import { E, ZucError } from '../../shared/errors';
import type { CliContext } from '../command';

/** Shared by the package commands (keygen, pack, delta, verify, inspect). */

/** Runs a node:util parseArgs call, turning its errors into BAD_ARGUMENTS carrying the usage. */
export function withUsage<T>(usage: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new ZucError(E.BAD_ARGUMENTS, `${(err as Error).message}\nusage: ${usage}`);
  }
}

export function requireString(value: unknown, what: string, usage: string): string {
  if (typeof value !== 'string' || value === '') throw new ZucError(E.BAD_ARGUMENTS, `${what} is required\nusage: ${usage}`);
  return value;
}

/** `--trust DIR`, else the trust store in the user data folder. */
export function trustDir(value: unknown, ctx: CliContext): string {
  return typeof value === 'string' ? path.resolve(ctx.cwd, value) : defaultTrustStoreDir(defaultDataDir(ctx.env));
}

/** Reads an input image; the failures a technician meets have their own input codes. */
export async function readImage(file: string): Promise<Uint8Array> {
  try {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) throw new ZucError(E.IMAGE_IS_DIRECTORY, file);
    if (stat.size === 0) throw new ZucError(E.IMAGE_EMPTY, file);
    return new Uint8Array(await fs.readFile(file));
  } catch (err) {
    if (err instanceof ZucError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ZucError(code === 'ENOENT' ? E.IMAGE_NOT_FOUND : E.IMAGE_UNREADABLE, `${file}: ${(err as Error).message}`);
  }
}

/** Writes next to the target and renames, so an interrupted run never leaves half a package under the final name. */
export async function writeFileAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temp = `${file}.partial-${process.pid}`;
  try {
    await fs.writeFile(temp, bytes);
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw new ZucError(E.PACKAGE_WRITE_FAILED, `${file}: ${(err as Error).message}`);
  }
}

/** A one-line progress display on stderr, only on a terminal: pipes and logs get the final summary alone. */
export function progressLine(ctx: CliContext): { update(text: string): void; done(): void } {
  const tty = ctx.stderr.isTTY === true;
  let shown = false;
  return {
    update(text) {
      if (!tty) return;
      ctx.stderr.write(`\r\u001b[2K${text}`);
      shown = true;
    },
    done() {
      if (shown) ctx.stderr.write('\r\u001b[2K');
      shown = false;
    },
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
