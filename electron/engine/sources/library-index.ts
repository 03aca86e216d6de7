import fs from 'node:fs/promises';
import path from 'node:path';
import { E, ZucError } from '../../shared/errors';
import { openPackage, type Manifest } from '../package';
import { deltaBaseSha256 } from './terminal-match';

/** A readable, signature-consistent package in the library (its trust is checked at install time). */
export interface LibraryPackage {
  file: string;
  /** Path inside the library, with `/` separators, for display. */
  relativePath: string;
  size: number;
  /** When the file was last modified: a changed file is hashed again. */
  mtimeMs: number;
  manifest: Manifest;
  /** Key ids of the signatures, empty for an unsigned package. */
  keyIds: string[];
  /** Delta only: SHA-256 of the image the delta applies to. */
  baseSha256?: string;
}

/** A `.zup` file the library cannot offer, with the reason. */
export interface RefusedFile {
  file: string;
  relativePath: string;
  error: ZucError;
}

export interface LibraryIndex {
  dir: string;
  packages: LibraryPackage[];
  refused: RefusedFile[];
  /** Files without the `.zup` extension: release notes, checksums, images. */
  ignored: string[];
}

export const PACKAGE_EXTENSION = '.zup';
/** A library is a few folders deep (model/version); deeper is a mistake such as a link back to a parent. */
const MAX_DEPTH = 6;

async function listFiles(dir: string, depth: number, out: string[]): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    // Hidden entries are partial copies, editor files and VCS folders.
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth < MAX_DEPTH) await listFiles(full, depth + 1, out);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      out.push(full);
    }
  }
}

/**
 * Indexes a firmware library folder: opens every `.zup` file in it (and in
 * folders below) reading header, manifest and signatures only — no payload
 * bytes. A file that cannot be opened is listed under `refused` with its
 * package code; it never stops the rest of the index.
 */
export async function indexLibrary(dir: string): Promise<LibraryIndex> {
  const root = path.resolve(dir);
  const stat = await fs.stat(root).catch((err: Error) => {
    throw new ZucError(E.LIBRARY_UNREADABLE, `${root}: ${err.message}`);
  });
  if (!stat.isDirectory()) throw new ZucError(E.LIBRARY_UNREADABLE, `${root} is not a folder`);
  const files: string[] = [];
  try {
    await listFiles(root, 0, files);
  } catch (err) {
    throw new ZucError(E.LIBRARY_UNREADABLE, `${root}: ${(err as Error).message}`);
  }
  const index: LibraryIndex = { dir: root, packages: [], refused: [], ignored: [] };
  for (const file of files) {
    const relativePath = path.relative(root, file).split(path.sep).join('/');
    if (path.extname(file).toLowerCase() !== PACKAGE_EXTENSION) {
      index.ignored.push(relativePath);
      continue;
    }
    try {
      const fileStat = await fs.stat(file);
      const pkg = await openPackage(file);
      const baseSha256 = deltaBaseSha256(pkg.manifest);
      index.packages.push({
        file,
        relativePath,
        size: fileStat.size,
        mtimeMs: fileStat.mtimeMs,
        manifest: pkg.manifest,
        keyIds: pkg.signatures.map((s) => s.keyId),
        ...(baseSha256 ? { baseSha256 } : {}),
      });
    } catch (err) {
      const error = err instanceof ZucError ? err : new ZucError(E.PACKAGE_NOT_FOUND, `${file}: ${(err as Error).message}`);
      index.refused.push({ file, relativePath, error });
    }
  }
  return index;
}
