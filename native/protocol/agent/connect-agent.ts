import type { TerminalConnector } from '../../terminal/terminal-driver';
import { openLink } from '../../transport/open-link';
import { createAgentClient } from './agent-client';

/** Opens the link an address names and speaks the agent protocol over it. */
export const connectAgent: TerminalConnector = async (address) => createAgentClient(await openLink(address));
