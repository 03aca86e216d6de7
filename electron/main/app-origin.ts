import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Whether `url` is a page of our own renderer: a file:// URL inside the
 * folder the shell loads its index.html from. Any other origin (http, a
 * file elsewhere on disk, devtools, data:) is not ours.
 */
export function isOwnPageUrl(url: string, rendererDir: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return false;
  let file: string;
  try {
    file = fileURLToPath(parsed);
  } catch {
    return false;
  }
  const rel = path.relative(path.resolve(rendererDir), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
