import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ZucError, type ErrorEntry } from '../../shared/errors';

/**
 * SHA-256 (hex) of a file as it is now, read as a stream: an image or a
 * package may be hundreds of megabytes. A file that cannot be read (removed
 * or replaced meanwhile) is refused with `unreadable`.
 */
export async function fileSha256(file: string, unreadable: ErrorEntry): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (err) {
    throw new ZucError(unreadable, `${file}: ${(err as Error).message}`, { cause: err });
  }
  return hash.digest('hex');
}
