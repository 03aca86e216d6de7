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

/**
 * Delivers queued feedback to the hawkBit server of `client`. A 410 answer
 * counts as delivered: the action is closed on the server, which is what a
 * closing feedback wanted, and later feedback for it is of no use there.
 */
export function hawkbitFeedbackSender(client: DdiClient): ReportSender {
  return {
    async deliver(entry: OutboxEntry, signal: AbortSignal): Promise<void> {
      // The row was written by this or another console version; check it before it goes out.
      const parsed = FeedbackSchema.safeParse(entry.payload);
      if (!parsed.success) throw new ZucError(E.BACKEND_REJECTED, `queued feedback ${entry.key} is not a DDI feedback`);
      const url = client.link(entry.target);
      if (url.origin !== client.base.origin) throw new ZucError(E.BACKEND_CONFIG, `feedback for ${url.origin} queued, but the console now talks to ${client.base.origin}`);
      await client.postFeedback(url, parsed.data as DdiFeedback, entry.key, signal);
    },
  };
}
