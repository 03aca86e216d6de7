import { E, ZucError } from '../../shared/errors';
import type { DownloadLimits } from './download-limits';

/** A failure worth another attempt: the network or the server, not the file. */
export class TransientDownloadError extends ZucError {
  /** The server's Retry-After, when it gave one. */
  readonly retryAfterMs: number | undefined;

  constructor(entry: ZucError['entry'], detail: string, retryAfterMs?: number, options?: { cause?: unknown }) {
    super(entry, detail, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * Delay before the next attempt: exponential in the attempts made without
 * progress, with "equal jitter" (half fixed, half random) so that a fleet of
 * consoles hit by the same outage does not come back in lockstep. A server's
 * Retry-After wins when it is longer, both capped.
 */
export function retryDelayMs(failedAttempts: number, limits: DownloadLimits, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const exponential = Math.min(limits.retryMaxDelayMs, limits.retryBaseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
  const jittered = exponential / 2 + (exponential / 2) * random();
  return Math.min(limits.retryMaxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unparsable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits, or rejects with DOWNLOAD_CANCELLED as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function cancelled(signal: AbortSignal): ZucError {
  const reason: unknown = signal.reason;
  return reason instanceof ZucError ? reason : new ZucError(E.DOWNLOAD_CANCELLED, reason instanceof Error ? reason.message : '');
}
