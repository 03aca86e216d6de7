import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { E, ZucError } from '../../../shared/errors';
import type { DdiClient } from './ddi-client';
import { describeUrl, networkError } from './ddi-http';
import type { DdiArtifact } from './ddi-schemas';

/** An artifact on local disk whose size and SHA-256 match what the server announced. */
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
 * Brings an artifact into `dir` under its SHA-256, checking size and hash
 * while streaming. A file already there with the right hash is reused. On
 * any failure nothing is left behind under the final name.
 */
export async function downloadArtifact(
  client: DdiClient,
  artifact: DdiArtifact,
  dir: string,
  options: { signal?: AbortSignal; onBytes?: (received: number) => void } = {},
): Promise<DownloadedArtifact> {
  const sha256 = artifact.hashes.sha256;
  const href = artifactHref(artifact);
  if (!sha256) throw new ZucError(E.DEPLOYMENT_UNUSABLE, `artifact ${artifact.filename} has no SHA-256 hash`);
  if (!href) throw new ZucError(E.DEPLOYMENT_UNUSABLE, `artifact ${artifact.filename} has no download link`);
  const finalPath = path.join(dir, sha256);
  const done: DownloadedArtifact = { filename: artifact.filename, path: finalPath, size: artifact.size, sha256 };
  if (await alreadyThere(finalPath, artifact.size, sha256)) return done;

  await mkdir(dir, { recursive: true });
  const { res, url } = await client.openArtifact(href, options.signal);
  const declared = Number(res.headers['content-length'] ?? NaN);
  if (declared !== artifact.size && !Number.isNaN(declared)) {
    res.destroy();
    throw new ZucError(E.ARTIFACT_SIZE_MISMATCH, `${artifact.filename}: the server sends ${declared} bytes, the deployment announced ${artifact.size}`);
  }
  const partPath = `${finalPath}.${process.pid}.part`;
  const hash = createHash('sha256');
  const out = createWriteStream(partPath);
  let received = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > artifact.size) {
        res.destroy();
        throw new ZucError(E.ARTIFACT_SIZE_MISMATCH, `${artifact.filename}: more than the ${artifact.size} bytes announced`);
      }
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      options.onBytes?.(received);
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (received !== artifact.size) throw new ZucError(E.ARTIFACT_SIZE_MISMATCH, `${artifact.filename}: ${received} of ${artifact.size} bytes arrived`);
    const actual = hash.digest('hex');
    if (actual !== sha256) throw new ZucError(E.ARTIFACT_HASH_MISMATCH, `${artifact.filename} from ${describeUrl(url)}: SHA-256 ${actual}, expected ${sha256}`);
    await rename(partPath, finalPath);
    return done;
  } catch (err) {
    out.destroy();
    await rm(partPath, { force: true });
    // A connection cut mid-body is a short file, not an unreachable server.
    if (!(err instanceof ZucError) && received < artifact.size) {
      throw new ZucError(E.ARTIFACT_SIZE_MISMATCH, `${artifact.filename}: the connection ended after ${received} of ${artifact.size} bytes`, { cause: err });
    }
    throw networkError(err, url);
  }
}

async function alreadyThere(file: string, size: number, sha256: string): Promise<boolean> {
  const info = await stat(file).catch(() => null);
  if (!info || info.size !== size) return false;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex') === sha256;
}
