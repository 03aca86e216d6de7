/**
 * Every limit the downloader applies, with its unit. Tests pass shorter
 * ones through `DownloadOptions`; the defaults suit a field laptop on a
 * mobile hotspot talking to a CDN.
 */
export interface DownloadLimits {
  /** From sending the request until the response headers arrive (connect, TLS, server think time). */
  responseTimeoutMs: number;
  /** Longest the body may go without a single byte arriving. */
  stallTimeoutMs: number;
  /** Attempts in a row that bring no new byte before the download gives up. */
  maxAttemptsWithoutProgress: number;
  /** First retry delay; doubled per attempt without progress, with jitter. */
  retryBaseDelayMs: number;
  /** Cap of the exponential delay and of a server's Retry-After. */
  retryMaxDelayMs: number;
  /** Redirects followed for one request. */
  maxRedirects: number;
}

export const RESPONSE_TIMEOUT_MS = 30_000;
export const STALL_TIMEOUT_MS = 30_000;
export const MAX_ATTEMPTS_WITHOUT_PROGRESS = 5;
export const RETRY_BASE_DELAY_MS = 1_000;
/** A CDN asking for more than this is effectively down; the job reports it instead of hanging. */
export const RETRY_MAX_DELAY_MS = 60_000;
/** Browsers and curl stop at 20; a package URL needs two or three at most. */
export const MAX_REDIRECTS = 10;
/** The largest package anyone may ask for: the format's own payload limit (16 × 2 GiB) plus room for the manifest. */
export const MAX_PACKAGE_BYTES = 16 * 2 ** 31 + 2 * 1024 * 1024;
/** Progress callbacks at most this often, so a fast LAN does not flood the UI. */
export const PROGRESS_INTERVAL_MS = 250;
/** Window over which the shown transfer rate is averaged. */
export const RATE_WINDOW_MS = 3_000;

export const DEFAULT_LIMITS: Readonly<DownloadLimits> = {
  responseTimeoutMs: RESPONSE_TIMEOUT_MS,
  stallTimeoutMs: STALL_TIMEOUT_MS,
  maxAttemptsWithoutProgress: MAX_ATTEMPTS_WITHOUT_PROGRESS,
  retryBaseDelayMs: RETRY_BASE_DELAY_MS,
  retryMaxDelayMs: RETRY_MAX_DELAY_MS,
  maxRedirects: MAX_REDIRECTS,
};

export function resolveLimits(overrides: Partial<DownloadLimits> = {}): DownloadLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
