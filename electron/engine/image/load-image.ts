import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { MAX_STAGED_IMAGE_BYTES } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';

/** An image file read into memory, with the hash the read-back is checked against. */
export interface LoadedImage {
  name: string;
  bytes: Uint8Array;
  /** SHA-256 of `bytes`, lowercase hex. */
  sha256: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads a firmware image file, refusing what can never be flashed (missing,
 * a folder, empty, unreadable, absurdly large) with the matching input code.
 */
export async function loadImageFile(file: string, name = path.basename(file)): Promise<LoadedImage> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    throw fileError(err, file);
  }
  if (stat.isDirectory()) throw new ZucError(E.IMAGE_IS_DIRECTORY, file);
  if (!stat.isFile()) throw new ZucError(E.IMAGE_UNREADABLE, `${file} is not a regular file`);
  if (stat.size === 0) throw new ZucError(E.IMAGE_EMPTY, file);
  if (stat.size > MAX_STAGED_IMAGE_BYTES) throw new ZucError(E.IMAGE_TOO_LARGE, `${file} has ${stat.size} bytes; the console takes at most ${MAX_STAGED_IMAGE_BYTES}`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(file));
  } catch (err) {
    throw fileError(err, file);
  }
  // The file may have been truncated between stat and read.
  if (bytes.byteLength === 0) throw new ZucError(E.IMAGE_EMPTY, file);
  return { name, bytes, sha256: sha256Hex(bytes) };
}

function fileError(err: unknown, file: string): ZucError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ZucError(E.IMAGE_NOT_FOUND, file, { cause: err });
  if (code === 'EISDIR') return new ZucError(E.IMAGE_IS_DIRECTORY, file, { cause: err });
  return new ZucError(E.IMAGE_UNREADABLE, `${file}: ${(err as Error).message}`, { cause: err });
}
