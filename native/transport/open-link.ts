import type { ByteLink } from './byte-link';
import { parseAddress } from './address';
import { openSerialLink } from './serial-link';
import { CONNECT_TIMEOUT_MS, openTcpLink } from './tcp-link';
import { openUsbAddress, type UsbHost } from './usb-link';

export interface OpenLinkOptions {
  /** TCP only: how long to wait for the connection. */
  connectTimeoutMs?: number;
  /** USB only: where `usb:` devices are looked up; the system's USB (the `usb` package) unless given. */
  usb?: UsbHost;
}

/**
 * Opens the byte link an address names. Rejects with BAD_ADDRESS,
 * TERMINAL_UNREACHABLE (TCP), PORT_OPEN_FAILED (serial) or a USB code (usb-link.ts).
 */
export async function openLink(address: string, options: OpenLinkOptions = {}): Promise<ByteLink> {
  if (address.trim().startsWith('usb:')) return openUsbAddress(address, options.usb);
  const parsed = parseAddress(address);
  if (parsed.kind === 'tcp') return openTcpLink(address, parsed.host, parsed.port, options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  return openSerialLink(address, parsed.path, parsed.baudRate);
}
