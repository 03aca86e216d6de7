import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { E, ZucError } from '../../shared/errors';
import { READ_CHUNK_BYTES } from './limits';

/**
 * Random access to a package's bytes, so a package on disk is read a piece at
 * a time (header, manifest, then one payload) instead of all at once.
 */
export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `offset`; the caller has checked the range against `size`. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Human name for error details. */
  readonly name: string;
}

export function bytesSource(bytes: Uint8Array, name = 'package'): ByteSource {
  return {
    size: bytes.length,
    name,
    async read(offset, length) {
      return bytes.subarray(offset, offset + length);
    },
  };
}

/** Opens the file per read: a package object holds no descriptor that someone must remember to close. */
export async function fileSource(file: string): Promise<ByteSource> {
  let size: number;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new Error('not a regular file');
    size = stat.size;
  } catch (err) {
    throw new ZucError(E.PACKAGE_NOT_FOUND, `${file}: ${(err as Error).message}`);
  }
  return {
    size,
    name: file,
    async read(offset, length) {
      const out = new Uint8Array(length);
      let handle: fs.FileHandle | undefined;
      try {
        handle = await fs.open(file, 'r');
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(out, done, length - done, offset + done);
          if (bytesRead === 0) throw new ZucError(E.PACKAGE_TRUNCATED, `${file} shrank while it was read (at byte ${offset + done})`);
          done += bytesRead;
        }
      } catch (err) {
        if (err instanceof ZucError) throw err;
        throw new ZucError(E.PACKAGE_NOT_FOUND, `${file}: ${(err as Error).message}`);
      } finally {
        await handle?.close();
      }
      return out;
    },
  };
}

/** SHA-256 of a byte range, read in bounded chunks. */
export async function hashRange(source: ByteSource, offset: number, length: number, onChunk?: (bytes: number) => void): Promise<string> {
  const hash = createHash('sha256');
  for (let done = 0; done < length; ) {
    const n = Math.min(READ_CHUNK_BYTES, length - done);
    hash.update(await source.read(offset + done, n));
    done += n;
    onChunk?.(n);
  }
  return hash.digest('hex');
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
