import { JobReportSchema } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import { describeUrl, openRequest, readBody, statusError } from '../sources/hawkbit/ddi-http';
import type { OutboxEntry } from './outbox-store';
import type { ReportSender } from './outbox';

/** Longest silence from the report endpoint before the attempt counts as failed (and is retried). */
export const REPORT_IDLE_TIMEOUT_MS = 15_000;
/** The endpoint's answer is not used; more than this is not read. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface HttpReportSenderOptions {
  /** The report endpoint, read for every attempt (the settings may change); null while none is configured. */
  url: () => string | null;
  idleTimeoutMs?: number;
}

/**
 * Delivers update reports (a JobReport with the update's extras) as JSON to
 * the configured HTTP endpoint, `POST` with the outbox key as
 * `Idempotency-Key`: a repeat after a lost answer or a crash carries the same
 * key, so the backend keeps the report once. Any 2xx means taken.
 */
export function httpReportSender(options: HttpReportSenderOptions): ReportSender {
  const idleTimeoutMs = options.idleTimeoutMs ?? REPORT_IDLE_TIMEOUT_MS;
  return {
    async deliver(entry: OutboxEntry, signal: AbortSignal): Promise<void> {
      const configured = options.url();
      // No endpoint yet: the report waits (retried with the outbox's pauses) until settings name one.
      if (!configured) throw new ZucError(E.BACKEND_CONFIG, `no report endpoint is configured; report ${entry.key} waits`);
      let url: URL;
      try {
        url = new URL(configured);
      } catch {
        throw new ZucError(E.BACKEND_CONFIG, 'the report endpoint is not a valid address');
      }
      // The row may come from another console version: send only what the backend's contract promises.
      if (!JobReportSchema.safeParse(entry.payload).success) throw new ZucError(E.BACKEND_REJECTED, `queued report ${entry.key} is not a job report`);
      const res = await openRequest({
        method: 'POST',
        url,
        auth: { kind: 'anonymous' },
        authOrigin: url.origin,
        headers: { 'Idempotency-Key': entry.key, Accept: 'application/json' },
        body: JSON.stringify(entry.payload),
        idleTimeoutMs,
        signal,
      });
      // Drained either way so the connection is freed; the body itself is of no use.
      await readBody(res, url, MAX_ANSWER_BYTES).catch(() => undefined);
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) return;
      // 408 and 429 say "later", not "never": retried like a server error.
      if (status === 408 || status === 429) throw new ZucError(E.BACKEND_SERVER_ERROR, `${describeUrl(url)} answered ${status}`);
      throw statusError(status, url);
    },
  };
}
