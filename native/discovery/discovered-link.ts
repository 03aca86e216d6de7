import type { ZucError } from '../../electron/shared/errors';

/** How a terminal was found; the address says how to open it. */
export type DiscoveryVia = 'serial' | 'usb' | 'tcp';

/** A link discovery found that may lead to a terminal. */
export interface DiscoveredLink {
  /** What the console opens: a serial path (`/dev/ttyUSB0`, `serial:PATH@BAUD`), `usb:…` or `tcp://HOST:PORT`. */
  address: string;
  via: DiscoveryVia;
  /** The USB or adapter serial number when the system reports one (not the terminal's own serial). */
  usbSerial?: string;
  vendorId?: number;
  productId?: number;
}

/** What every watcher reports. A problem (USB missing, port list failing) never stops the other watchers. */
export interface DiscoveryListener {
  attached(link: DiscoveredLink): void;
  detached(address: string): void;
  problem(error: ZucError): void;
}
