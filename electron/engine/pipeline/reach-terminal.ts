import { ZucError } from '../../shared/errors';
import type { TerminalIdentity } from '../../../native/terminal/terminal-driver';
import { logText } from '../../shared/job-log';
import type { FlashIo } from './flash-context';

/** The terminal's current identity, reconnecting (until `signal` aborts) if the link is gone. */
export async function reachTerminal(io: FlashIo, signal: AbortSignal): Promise<TerminalIdentity> {
  if (io.session.connected) {
    try {
      return await io.session.identify();
    } catch (err) {
      io.log('warn', logText('terminal-silent', { code: ZucError.from(err).code }));
    }
  }
  return io.session.awaitBoot(signal);
}
