import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ErrorEntry } from '../../shared/errors';
import { E, ZucError } from '../../shared/errors';
import { lockCacheEntry } from './cache-lock';
import { downloadToFile, validatorPath, type DownloadOptions, type DownloadProgress, type DownloadRequest, type DownloadStats } from './http-download';
import { cancelled } from './retry-policy';

export interface CachedPackage {
  /** The verified file: `<cache>/<sha256>`. Never modified once there. */
  path: string;
  sha256: string;
  size: number;
  /** It was already in the cache: nothing was transferred. */
  fromCache: boolean;
  /** Transfer figures when this call (or the download it joined) fetched it. */
  stats?: DownloadStats;
}

export interface ImportRequest {
  file: string;
  sha256: string;
  size: number;
  /** The code when the file does not have the announced size or hash; default DOWNLOAD_HASH_MISMATCH. */
  mismatch?: ErrorEntry;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
}

type Producer = (partialPath: string, signal: AbortSignal, onProgress: (p: DownloadProgress) => void) => Promise<DownloadStats | undefined>;

/** One transfer into the cache that any number of callers wait for. */
interface SharedFill {
  result: Promise<CachedPackage>;
  controller: AbortController;
  waiters: number;
  listeners: Set<(p: DownloadProgress) => void>;
}

const HASH_PATTERN = /^[0-9a-f]{64}$/;

export function isSha256Hex(value: string): boolean {
  return HASH_PATTERN.test(value);
}

/** `<dataDir>/cache/sha256`, the cache the desktop app, the station and the CLI share. */
export function cacheDirOf(dataDir: string): string {
  return path.join(dataDir, 'cache', 'sha256');
}

/**
 * The content-addressed package cache: a file is stored under its SHA-256
 * and only after it hashed right, moved into place by an atomic rename, so
 * a name in the cache always means those exact bytes. Partial files
 * (`<sha256>.partial`) are kept for resuming. Within one process, callers
 * asking for the same hash share one transfer; it is cancelled only when
 * every caller has cancelled. Across processes a lock file (`<sha256>.lock`)
 * lets one write while the others wait for the finished file.
 */
export class PackageCache {
  private readonly fills = new Map<string, SharedFill>();

  constructor(
    readonly dir: string,
    private readonly options: DownloadOptions = {},
  ) {}

  static inDataDir(dataDir: string, options: DownloadOptions = {}): PackageCache {
    return new PackageCache(cacheDirOf(dataDir), options);
  }

  pathOf(sha256: string): string {
    if (!isSha256Hex(sha256)) throw new ZucError(E.INTERNAL, `cache key "${sha256.slice(0, 80)}" is not 64 lowercase hex digits`);
    return path.join(this.dir, sha256);
  }

  partialPathOf(sha256: string): string {
    return `${this.pathOf(sha256)}.partial`;
  }

  /** The cached file when present with the expected size. */
  async lookup(sha256: string, size?: number): Promise<string | undefined> {
    const file = this.pathOf(sha256);
    const stat = await fs.stat(file).catch(() => undefined);
    return stat?.isFile() && (size === undefined || stat.size === size) ? file : undefined;
  }

  /** Downloads `request.url` into the cache unless its hash is already there. */
  fetch(request: DownloadRequest): Promise<CachedPackage> {
    return this.fill(request.sha256, request.size, request, (partialPath, signal, onProgress) =>
      downloadToFile({ ...request, signal, onProgress }, partialPath, this.options),
    );
  }

  /** Copies a local file (a library package) into the cache, checking the size and hash it was offered with. */
  importFile(request: ImportRequest): Promise<CachedPackage> {
    return this.fill(request.sha256, request.size, request, (partialPath, signal, onProgress) => copyVerified(request, partialPath, signal, onProgress));
  }

  private async fill(sha256: string, size: number, caller: { signal?: AbortSignal; onProgress?: (p: DownloadProgress) => void }, produce: Producer): Promise<CachedPackage> {
    const cached = await this.lookup(sha256, size);
    if (cached) return { path: cached, sha256, size, fromCache: true };
    let fill = this.fills.get(sha256);
    if (!fill) {
      const controller = new AbortController();
      const listeners = new Set<(p: DownloadProgress) => void>();
      const result = this.produceInto(sha256, size, controller.signal, (p) => listeners.forEach((l) => l(p)), produce).finally(() => {
        if (this.fills.get(sha256) === created) this.fills.delete(sha256);
      });
      const created: SharedFill = { result, controller, waiters: 0, listeners };
      fill = created;
      this.fills.set(sha256, fill);
    }
    return this.wait(sha256, fill, caller);
  }

  private wait(sha256: string, fill: SharedFill, caller: { signal?: AbortSignal; onProgress?: (p: DownloadProgress) => void }): Promise<CachedPackage> {
    const { signal, onProgress } = caller;
    fill.waiters++;
    if (onProgress) fill.listeners.add(onProgress);
    let left = false;
    return new Promise<CachedPackage>((resolve, reject) => {
      const leave = () => {
        if (left) return;
        left = true;
        signal?.removeEventListener('abort', onAbort);
        if (onProgress) fill.listeners.delete(onProgress);
        fill.waiters--;
      };
      const onAbort = () => {
        leave();
        if (fill.waiters === 0) {
          // A caller arriving from now on starts a fresh transfer instead of joining one that is being cancelled.
          if (this.fills.get(sha256) === fill) this.fills.delete(sha256);
          fill.controller.abort(signal!.reason);
        }
        reject(cancelled(signal!));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      fill.result.then(
        (value) => {
          leave();
          resolve(value);
        },
        (err: unknown) => {
          leave();
          reject(err instanceof ZucError ? err : ZucError.from(err));
        },
      );
    });
  }

  private async produceInto(sha256: string, size: number, signal: AbortSignal, onProgress: (p: DownloadProgress) => void, produce: Producer): Promise<CachedPackage> {
    const finalPath = this.pathOf(sha256);
    const partialPath = this.partialPathOf(sha256);
    try {
      await fs.mkdir(this.dir, { recursive: true });
    } catch (err) {
      throw new ZucError(E.DOWNLOAD_CACHE_FAILED, `${this.dir}: ${(err as Error).message}`);
    }
    const release = await lockCacheEntry(`${finalPath}.lock`, async () => (await this.lookup(sha256, size)) !== undefined, signal);
    if (!release) return { path: finalPath, sha256, size, fromCache: true };
    try {
      if (await this.lookup(sha256, size)) return { path: finalPath, sha256, size, fromCache: true };
      const stats = await produce(partialPath, signal, onProgress);
      await this.moveIntoPlace(partialPath, finalPath);
      return { path: finalPath, sha256, size, fromCache: false, ...(stats ? { stats } : {}) };
    } finally {
      await release();
    }
  }

  private async moveIntoPlace(partialPath: string, finalPath: string): Promise<void> {
    try {
      // Flushed before the rename: after a power cut the cache name never points at missing bytes.
      const handle = await fs.open(partialPath, 'r+');
      await handle.sync();
      await handle.close();
      await fs.rename(partialPath, finalPath);
      await fs.rm(validatorPath(partialPath), { force: true });
    } catch (err) {
      throw new ZucError(E.DOWNLOAD_CACHE_FAILED, `${finalPath}: ${(err as Error).message}`);
    }
  }
}

async function copyVerified(request: ImportRequest, partialPath: string, signal: AbortSignal, onProgress: (p: DownloadProgress) => void): Promise<undefined> {
  const mismatch = request.mismatch ?? E.DOWNLOAD_HASH_MISMATCH;
  const stat = await fs.stat(request.file).catch((err: Error) => {
    throw new ZucError(mismatch, `${request.file}: ${err.message}`);
  });
  if (stat.size !== request.size) throw new ZucError(mismatch, `${request.file}: ${stat.size} bytes, offered as ${request.size}`);
  const hash = createHash('sha256');
  let copied = 0;
  const out = await fs.open(partialPath, 'w').catch((err: Error) => {
    throw new ZucError(E.DOWNLOAD_CACHE_FAILED, `${partialPath}: ${err.message}`);
  });
  try {
    for await (const chunk of createReadStream(request.file, { signal }) as AsyncIterable<Buffer>) {
      if (copied + chunk.length > request.size) throw new ZucError(mismatch, `${request.file}: grew while being copied`);
      await out.write(chunk);
      hash.update(chunk);
      copied += chunk.length;
      onProgress({ receivedBytes: copied, totalBytes: request.size, bytesPerSecond: 0 });
    }
  } catch (err) {
    await out.close();
    await fs.rm(partialPath, { force: true });
    if (signal.aborted) throw cancelled(signal);
    if (err instanceof ZucError) throw err;
    throw new ZucError(E.DOWNLOAD_CACHE_FAILED, `${request.file} → ${partialPath}: ${(err as Error).message}`);
  }
  await out.close();
  const digest = hash.digest('hex');
  if (copied !== request.size || digest !== request.sha256) {
    await fs.rm(partialPath, { force: true });
    throw new ZucError(mismatch, `${request.file}: SHA-256 ${digest} (${copied} bytes), offered as ${request.sha256}`);
  }
  return undefined;
}
