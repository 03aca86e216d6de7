import { ZucError } from '../../shared/errors';
import type { TerminalIdentity } from '../../../native/terminal/terminal-driver';
import type { FlashIo } from './flash-context';

/** The terminal's current identity, reconnecting (until `signal` aborts) if the link is gone. */
export async function reachTerminal(io: FlashIo, signal: AbortSignal): Promise<TerminalIdentity> {
  if (io.session.connected) {
    try {
      return await io.session.identify();
    } catch (err) {
      io.log('warn', `terminal did not answer (${ZucError.from(err).code}); reconnecting`);
    }
  }
  return io.session.awaitBoot(signal);
}
