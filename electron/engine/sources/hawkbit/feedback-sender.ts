import { createHash } from 'node:crypto';
import { z } from 'zod';
import { E, ZucError } from '../../../shared/errors';
import type { OutboxEntry, ReportSender } from '../../report';
import type { DdiClient } from './ddi-client';
import type { DdiFeedback } from './ddi-schemas';

/** Outbox kind of hawkBit feedback reports. */
export const HAWKBIT_FEEDBACK = 'hawkbit-feedback';

const FeedbackSchema = z.object({
  id: z.string(),
  time: z.string(),
  status: z.object({
    execution: z.enum(['closed', 'proceeding', 'canceled', 'scheduled', 'rejected', 'resumed', 'downloaded', 'download']),
    result: z.object({
      finished: z.enum(['success', 'failure', 'none']),
      progress: z.object({ cnt: z.number().int(), of: z.number().int() }).optional(),
    }),
    code: z.number().int().optional(),
    details: z.array(z.string()),
  }),
});

/** Status messages of an action read back to find an earlier copy of a feedback: far more than one run sends. */
export const ACTION_HISTORY_LOOKBACK = 50;

/**
 * The last details line of every in-progress feedback: names it (by its outbox
 * key) in the action's history, where hawkBit keeps each feedback's details as
 * status messages. hawkBit ignores Idempotency-Key, so this line is how a
 * console tells whether a feedback it may have sent already arrived.
 */
export function feedbackMarker(key: string): string {
  return `zuc-feedback ${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

const DEPLOYMENT_FEEDBACK = /\/deploymentBase\/[^/]+\/feedback$/;

/**
 * Delivers queued feedback to the hawkBit server of `client`. A 410 answer
 * counts as delivered: the action is closed on the server, which is what a
 * closing feedback wanted, and later feedback for it is of no use there.
 *
 * An in-progress feedback that may have arrived already (an earlier attempt
 * got no answer, or the console died while sending it) is looked up in the
 * action's history first and not posted again when its marker is there: the
 * real hawkBit would add a second line for it.
 */
export function hawkbitFeedbackSender(client: DdiClient): ReportSender {
  return {
    async deliver(entry: OutboxEntry, signal: AbortSignal): Promise<void> {
      // The row was written by this or another console version; check it before it goes out.
      const parsed = FeedbackSchema.safeParse(entry.payload);
      if (!parsed.success) throw new ZucError(E.BACKEND_REJECTED, `queued feedback ${entry.key} is not a DDI feedback`);
      const url = client.link(entry.target);
      if (url.origin !== client.base.origin) throw new ZucError(E.BACKEND_CONFIG, `feedback for ${url.origin} queued, but the console now talks to ${client.base.origin}`);
      if (entry.uncertain && !entry.closesStream && (await arrivedBefore(client, url, entry.key, signal))) return;
      await client.postFeedback(url, parsed.data as DdiFeedback, entry.key, signal);
    },
  };
}

/** Whether the action's history holds this feedback's marker; false when the history cannot be read (then it is posted). */
async function arrivedBefore(client: DdiClient, feedbackUrl: URL, key: string, signal: AbortSignal): Promise<boolean> {
  if (!DEPLOYMENT_FEEDBACK.test(feedbackUrl.pathname)) return false;
  const deploymentUrl = new URL(feedbackUrl.href.replace(/\/feedback$/, ''));
  const marker = feedbackMarker(key);
  try {
    const messages = await client.actionHistory(deploymentUrl, ACTION_HISTORY_LOOKBACK, signal);
    return messages.some((m) => m.includes(marker));
  } catch {
    return false;
  }
}
