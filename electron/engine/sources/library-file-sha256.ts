import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { E, ZucError } from '../../shared/errors';

/** SHA-256 (hex) of a library file as it is now; one that cannot be read any more (removed, replaced meanwhile) is LIBRARY_FILE_CHANGED. */
export async function libraryFileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (err) {
    throw new ZucError(E.LIBRARY_FILE_CHANGED, `${file}: ${(err as Error).message}`);
  }
  return hash.digest('hex');
}
