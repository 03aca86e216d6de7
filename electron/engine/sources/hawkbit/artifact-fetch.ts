import { E, ZucError } from '../../../shared/errors';
import type { PackageCache } from '../../download';
import type { DdiClient } from './ddi-client';
import type { DdiArtifact } from './ddi-schemas';

/** An artifact in the package cache whose size and SHA-256 match what the server announced. */
export interface DownloadedArtifact {
  filename: string;
  path: string;
  size: number;
  sha256: string;
}

/** The link to fetch: the https one where the server offers both. */
export function artifactHref(artifact: DdiArtifact): string | undefined {
  return artifact._links?.download?.href ?? artifact._links?.['download-http']?.href;
}

/**
 * Brings an artifact into the shared package cache (resumable, retried, SHA-256
 * checked while streaming; an artifact already cached is not fetched again).
 * The token goes only to the hawkBit server's own origin: the downloader drops
 * it on a redirect elsewhere, and a link to another host never gets it.
 */
export async function fetchArtifact(
  client: DdiClient,
  cache: PackageCache,
  artifact: DdiArtifact,
  options: { signal?: AbortSignal; onBytes?: (received: number, total: number) => void } = {},
): Promise<DownloadedArtifact> {
  const sha256 = artifact.hashes.sha256;
  const href = artifactHref(artifact);
  if (!sha256) throw new ZucError(E.DEPLOYMENT_UNUSABLE, `artifact ${artifact.filename} has no SHA-256 hash`);
  if (!href) throw new ZucError(E.DEPLOYMENT_UNUSABLE, `artifact ${artifact.filename} has no download link`);
  if (artifact.size < 1) throw new ZucError(E.DEPLOYMENT_UNUSABLE, `artifact ${artifact.filename} is empty`);
  const url = client.link(href);
  const authorization = url.origin === client.base.origin ? client.authorization() : undefined;
  const cached = await cache.fetch({
    url: url.href,
    sha256,
    size: artifact.size,
    ...(authorization ? { headers: { authorization } } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onBytes ? { onProgress: (p: { receivedBytes: number; totalBytes: number }) => options.onBytes!(p.receivedBytes, p.totalBytes) } : {}),
  });
  return { filename: artifact.filename, path: cached.path, size: artifact.size, sha256 };
}
