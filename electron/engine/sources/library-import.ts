import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { E, ZucError } from '../../shared/errors';
import type { SignatureView } from '../../shared/contract';
import { bytesSource, openPackage, type TrustStore } from '../package';
import { indexLibrary, PACKAGE_EXTENSION, type LibraryPackage } from './library-index';
import { judgeSignature } from './signature-view';
import { deltaBaseSha256 } from './terminal-match';

export interface ImportRequest {
  /** The file's name as the user chose it, for error details only: the library names the copy after its package id. */
  name: string;
  data: Uint8Array;
  /** The library folder to copy into. */
  folder: string;
  trust: TrustStore;
}

export interface ImportResult {
  package: LibraryPackage;
  /** Always `trusted`: anything else is refused. */
  signature: SignatureView;
  alreadyPresent: boolean;
}

function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

async function sameBytes(file: string, sha256: string): Promise<boolean> {
  try {
    return sha256Hex(await fs.readFile(file)) === sha256;
  } catch {
    return false;
  }
}

/**
 * Puts a package file into a library folder only when the console would
 * install it: it opens, its signatures and payload hashes verify, and a
 * trusted key signed it. The copy appears under its package id at once and
 * whole (written hidden, then linked into place without replacing anything),
 * so an update searching the library meanwhile never sees half a file.
 */
export async function importIntoLibrary(request: ImportRequest): Promise<ImportResult> {
  const pkg = await openPackage(bytesSource(request.data, request.name));
  const signature = await judgeSignature(pkg, request.trust);
  if (signature.status !== 'trusted') throw signature.error ? ZucError.fromJSON(signature.error) : new ZucError(E.PACKAGE_UNTRUSTED_KEY, request.name);
  const { packageId } = pkg.manifest;
  const sha256 = sha256Hex(request.data);

  const library = await indexLibrary(request.folder);
  const same = library.packages.find((p) => p.manifest.packageId === packageId);
  if (same) {
    if (same.size === request.data.byteLength && (await sameBytes(same.file, sha256))) return { package: same, signature, alreadyPresent: true };
    throw new ZucError(E.LIBRARY_DUPLICATE_PACKAGE, `${packageId} is already ${same.relativePath}`);
  }

  const target = path.join(library.dir, `${packageId}${PACKAGE_EXTENSION}`);
  const partial = path.join(library.dir, `.${packageId}.${randomBytes(6).toString('hex')}.partial`);
  try {
    await fs.writeFile(partial, request.data, { flag: 'wx' });
    await fs.link(partial, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new ZucError(E.LIBRARY_DUPLICATE_PACKAGE, `${target} already exists and is not this package`);
    throw new ZucError(E.PACKAGE_WRITE_FAILED, `${target}: ${(err as Error).message}`, { cause: err });
  } finally {
    await fs.rm(partial, { force: true });
  }
  const stat = await fs.stat(target);
  const relativePath = path.relative(library.dir, target).split(path.sep).join('/');
  const baseSha256 = deltaBaseSha256(pkg.manifest);
  return {
    package: { file: target, relativePath, size: stat.size, mtimeMs: stat.mtimeMs, manifest: pkg.manifest, keyIds: pkg.signatures.map((s) => s.keyId), ...(baseSha256 ? { baseSha256 } : {}) },
    signature,
    alreadyPresent: false,
  };
}
