import { E, ZucError } from '../../../shared/errors';
import type { OutboxEntry, ReportSender } from '../../report';
import type { DdiClient } from './ddi-client';
import { hawkbitFeedbackSender } from './feedback-sender';

/**
 * Delivers queued feedback of several hawkBit servers through one outbox:
 * each entry goes to the client whose server and tenant it was queued for.
 * `clients` is asked at every delivery, so a server added in the settings
 * is served at once. Feedback for a server no longer configured waits (and
 * is retried) until it is configured again.
 */
export function hawkbitFeedbackRouter(clients: () => readonly DdiClient[]): ReportSender {
  const senders = new WeakMap<DdiClient, ReportSender>();
  return {
    deliver(entry: OutboxEntry, signal: AbortSignal): Promise<void> {
      const client = clients().find((c) => entry.target.startsWith(controllerPrefix(c)));
      if (!client) return Promise.reject(new ZucError(E.BACKEND_CONFIG, `feedback for ${describeTarget(entry.target)} queued, but no hawkBit server in the settings serves it`));
      let sender = senders.get(client);
      if (!sender) senders.set(client, (sender = hawkbitFeedbackSender(client)));
      return sender.deliver(entry, signal);
    },
  };
}

/** `{base}/{tenant}/controller/v1/`: what every feedback URL of this client starts with. */
function controllerPrefix(client: DdiClient): string {
  const sample = client.controllerUrl('x').href;
  return sample.slice(0, -1);
}

/** Origin and path only: a queued target never carries a token, but nothing else of it is needed either. */
function describeTarget(target: string): string {
  try {
    const url = new URL(target);
    return `${url.origin}${url.pathname}`;
  } catch {
    return 'an unreadable address';
  }
}
