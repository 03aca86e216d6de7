import fs from 'node:fs/promises';
import { E, ZucError } from '../../shared/errors';
import { sleep } from './retry-policy';

/** How often a process waiting for another one's download looks again. */
export const LOCK_POLL_INTERVAL_MS = 200;
/** The holder touches its lock this often while it works. */
export const LOCK_REFRESH_INTERVAL_MS = 10_000;
/** A lock untouched this long is abandoned, even if its pid now belongs to an unrelated process (pid reuse after a reboot). */
export const LOCK_STALE_MS = 60_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function holderOf(lockPath: string): Promise<number | undefined> {
  const text = await fs.readFile(lockPath, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Makes one process at a time write a cache entry: the desktop app, the
 * station and the CLI share the cache, and two writers of one partial file
 * could leave a hole that one of them then renames into place. The lock file
 * holds the writer's pid; a lock whose process is gone (a crash) is taken
 * over. Resolves to a release function, or to `undefined` when `isDone`
 * reports that the other process finished the entry meanwhile.
 */
export async function lockCacheEntry(lockPath: string, isDone: () => Promise<boolean>, signal?: AbortSignal): Promise<(() => Promise<void>) | undefined> {
  for (;;) {
    try {
      const handle = await fs.open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      const refresh = setInterval(() => {
        const now = new Date();
        fs.utimes(lockPath, now, now).catch(() => undefined);
      }, LOCK_REFRESH_INTERVAL_MS);
      refresh.unref();
      return async () => {
        clearInterval(refresh);
        await fs.rm(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new ZucError(E.DOWNLOAD_CACHE_FAILED, `${lockPath}: ${(err as Error).message}`);
    }
    const pid = await holderOf(lockPath);
    const touchedMs = await fs.stat(lockPath).then((st) => st.mtimeMs, () => Date.now());
    // An unreadable pid is a lock being written this instant; only a dead holder or an untouched lock is stale.
    if ((pid !== undefined && !isAlive(pid)) || Date.now() - touchedMs > LOCK_STALE_MS) {
      await fs.rm(lockPath, { force: true });
      continue;
    }
    if (await isDone()) return undefined;
    await sleep(LOCK_POLL_INTERVAL_MS, signal);
  }
}
