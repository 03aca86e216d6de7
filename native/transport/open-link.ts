import type { ByteLink } from './byte-link';
import { parseAddress } from './address';
import { openSerialLink } from './serial-link';
import { CONNECT_TIMEOUT_MS, openTcpLink } from './tcp-link';

export interface OpenLinkOptions {
  /** TCP only: how long to wait for the connection. */
  connectTimeoutMs?: number;
}

/**
 * Opens the byte link an address names. Rejects with BAD_ADDRESS,
 * TERMINAL_UNREACHABLE (TCP) or PORT_OPEN_FAILED (serial).
 */
export async function openLink(address: string, options: OpenLinkOptions = {}): Promise<ByteLink> {
  const parsed = parseAddress(address);
  if (parsed.kind === 'tcp') return openTcpLink(address, parsed.host, parsed.port, options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  return openSerialLink(address, parsed.path, parsed.baudRate);
}
