import type { Clock } from '../clock';

/** A line repeated within this window is dropped: a server down for a day logs once an hour per terminal, not once a minute. */
export const QUIET_REPEAT_MS = 3600_000;
/** Lines remembered before old ones are forgotten. */
const REMEMBERED_LINES = 1000;

/** Passes each line on to `log` unless the very same line went out less than `windowMs` ago. */
export function quietRepeats(log: (line: string) => void, clock: Clock, windowMs = QUIET_REPEAT_MS): (line: string) => void {
  const sent = new Map<string, number>();
  return (line) => {
    const now = clock.now();
    const last = sent.get(line);
    if (last !== undefined && now - last < windowMs) return;
    sent.delete(line);
    sent.set(line, now);
    // Insertion order is age order: the oldest go first.
    for (const old of sent.keys()) {
      if (sent.size <= REMEMBERED_LINES) break;
      sent.delete(old);
    }
    log(line);
  };
}
