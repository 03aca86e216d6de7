import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { E, ZucError } from '../../shared/errors';
import type { PackageCache } from '../download';
import { sha256Hex } from '../image/load-image';
import { extractPayload, openPackage } from '../package';
import { findAllUpdates, type TerminalForUpdate, type UpdateOffer, type UpdateSource } from '../sources';

/** A full package of the version the terminal runs: the image a delta applies to. */
export interface BaseOffer {
  offer: UpdateOffer;
  /** Already on this machine: in the library or the cache, so using the delta costs no extra download. */
  local: boolean;
}

/**
 * Sources only offer versions other than the running one, so the base is
 * asked for as if the terminal ran no version at all, and then only the
 * full packages of the running version are kept.
 */
export async function findBaseOffer(sources: readonly UpdateSource[], cache: PackageCache, terminal: TerminalForUpdate, signal?: AbortSignal): Promise<BaseOffer | undefined> {
  const anyVersion: TerminalForUpdate = { model: terminal.model, hwRevision: terminal.hwRevision, firmwareVersion: '' };
  const { offers } = await findAllUpdates(sources, anyVersion, signal ? { signal } : {});
  const bases = offers.filter((o) => o.type === 'full' && o.version === terminal.firmwareVersion);
  for (const offer of bases) {
    if (offer.source.startsWith('library:') || (await cache.lookup(offer.sha256, offer.size))) return { offer, local: true };
  }
  return bases[0] ? { offer: bases[0], local: false } : undefined;
}

/**
 * Extracts the base image from its full package into `dir` and returns the
 * file. Its hash must be the delta's source; the pipeline's verify stage
 * then also checks it against what the terminal hashes over its running slot.
 */
export async function extractBaseImage(packagePath: string, expectedSha256: string | undefined, dir: string): Promise<string> {
  const image = await extractPayload(await openPackage(packagePath));
  const sha256 = sha256Hex(image);
  if (expectedSha256 !== undefined && sha256 !== expectedSha256) {
    throw new ZucError(E.PACKAGE_DELTA_SOURCE_MISMATCH, `the full package of the running version holds an image with sha256 ${sha256}; the delta was made from ${expectedSha256}`);
  }
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${sha256}.img`);
  // Written aside and renamed: another job may be reading the same base image right now.
  const partial = `${file}.${randomUUID()}.partial`;
  await writeFile(partial, image);
  await rename(partial, file);
  return file;
}
