import type { TerminalConnector } from '../../../native/terminal/terminal-driver';
import { connectAgent } from '../../../native/protocol/agent';

/** The ZTE terminal agent protocol: what every terminal speaks unless a test or host says otherwise. */
export const defaultConnector: TerminalConnector = (address) => connectAgent(address);
