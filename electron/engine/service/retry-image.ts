import fs from 'node:fs/promises';
import { E, ZucError } from '../../shared/errors';
import { fileSha256 } from '../image/file-sha256';
import type { RetryPlan } from '../store/retry-plan-store';

type FlashPlan = Extract<RetryPlan, { kind: 'flash' }>;

/**
 * Refuses a flash retry whose image is gone, or no longer the bytes the
 * failed job read (`plan.sha256`), with RETRY_IMAGE_CHANGED: nothing starts.
 * A plan without a hash (its job never got to read the image) only needs the file.
 */
export async function checkRetryImage(plan: FlashPlan, file: string): Promise<void> {
  const name = `${plan.imageName} (${file})`;
  try {
    if (!(await fs.stat(file)).isFile()) throw new ZucError(E.RETRY_IMAGE_CHANGED, `${name} is no longer a file`);
    if (plan.sha256 === null) return;
    const now = await fileSha256(file, E.RETRY_IMAGE_CHANGED);
    if (now !== plan.sha256) throw new ZucError(E.RETRY_IMAGE_CHANGED, `${name} hashes to ${now} now; the failed job read ${plan.sha256}`);
  } catch (err) {
    if (err instanceof ZucError) throw err;
    throw new ZucError(E.RETRY_IMAGE_CHANGED, `${name}: ${(err as Error).message}`, { cause: err });
  }
}

/** The guard a retried flash runs on the image it loads: the file may change between the check above and the job's read. */
export function sameImageAs(plan: FlashPlan): (sha256: string) => void {
  return (sha256) => {
    if (plan.sha256 !== null && sha256 !== plan.sha256) throw new ZucError(E.RETRY_IMAGE_CHANGED, `${plan.imageName} hashes to ${sha256} now; the failed job read ${plan.sha256}`);
  };
}
