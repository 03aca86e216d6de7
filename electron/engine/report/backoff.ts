/** How long the outbox waits before trying a report again, growing with each failed attempt. */
export interface BackoffPolicy {
  /** Wait after the first failure. */
  firstDelayMs: number;
  /** Longest wait between two attempts, however often delivery failed. */
  maxDelayMs: number;
}

export const OUTBOX_FIRST_RETRY_MS = 2_000;
/** A backend that is down for hours is still tried every five minutes. */
export const OUTBOX_MAX_RETRY_MS = 5 * 60_000;

export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = { firstDelayMs: OUTBOX_FIRST_RETRY_MS, maxDelayMs: OUTBOX_MAX_RETRY_MS };

/** Delay before attempt `failedAttempts + 1`: doubling from the first delay, capped. */
export function retryDelayMs(failedAttempts: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, failedAttempts - 1);
  // 2^exponent overflows to Infinity long after the cap applies; Math.min handles it.
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** exponent);
}
