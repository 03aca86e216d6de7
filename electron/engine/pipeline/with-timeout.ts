import type { ErrorEntry } from '../../shared/errors';
import { ZucError } from '../../shared/errors';

/**
 * Settles like `work`, or rejects with `entry` after `ms`. The work is not
 * cancelled by this; callers close the driver when a command timed out,
 * because its protocol state is then unknown.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, entry: ErrorEntry, detail: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ZucError(entry, `${detail} (no answer within ${ms} ms)`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
