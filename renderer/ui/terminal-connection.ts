import type { TerminalInfo, TransportKind } from '../../electron/shared/contract';

/** How a terminal is wired to the bench, as its row names it. */
export interface TerminalConnection {
  kind: TransportKind;
  /** Where on that link: the serial port, the TCP host:port or the USB vendor:product id; '' when the address says nothing more. */
  where: string;
}

/**
 * The link an address names: `tcp://HOST:PORT`, `usb:VID:PID[:SERIAL]`,
 * `serial:PATH[@BAUD]` or a bare device path (`/dev/ttyUSB0`, `COM3`).
 * The engine's own word (`info.transport`, set once the terminal answered) wins over the scheme.
 */
export function connectionOf(address: string, info: Pick<TerminalInfo, 'transport'> | null = null): TerminalConnection {
  const text = address.trim();
  const kind = info?.transport ?? kindOfScheme(text);
  return { kind, where: whereOf(kind, text) };
}

function kindOfScheme(text: string): TransportKind {
  if (text.startsWith('tcp://')) return 'tcp';
  if (text.startsWith('usb:')) return 'usb';
  if (text.startsWith('memory:')) return 'memory';
  return 'serial';
}

function whereOf(kind: TransportKind, text: string): string {
  switch (kind) {
    case 'tcp':
      return text.replace(/^tcp:\/\//, '');
    case 'usb': {
      // usb:19d2:1405:SERIAL: the serial is in the Terminal column already; vendor:product tells the model family.
      const [vendor, product] = text.replace(/^usb:/, '').split(':');
      return vendor && product ? `${vendor.toLowerCase()}:${product.toLowerCase()}` : '';
    }
    case 'serial':
      // serial:/dev/ttyUSB0@115200 names the port and its speed; a bare path is the port alone.
      return text.replace(/^serial:/, '').replace(/@(\d+)$/, ' @ $1');
    case 'memory':
      return '';
  }
}
