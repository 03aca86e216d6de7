import type { TerminalConnector, TerminalIdentity } from '../../../native/terminal/terminal-driver';
import type { Clock } from '../clock';
import { TerminalSession } from '../pipeline/terminal-session';
import type { EngineTimeouts } from '../timeouts';

/** Reboots the terminal and waits (up to the boot timeout) until it answers again; resolves with its identity then. */
export async function rebootTerminal(address: string, connector: TerminalConnector, timeouts: EngineTimeouts, clock: Clock): Promise<TerminalIdentity> {
  const session = new TerminalSession(address, connector, timeouts, clock, () => undefined);
  try {
    await session.connect();
    await session.reboot();
    return await session.awaitBoot(AbortSignal.timeout(timeouts.bootMs));
  } finally {
    await session.disconnect();
  }
}
