import { E, ZucError } from '../../electron/shared/errors';

export const DEFAULT_BAUD_RATE = 115200;

export type LinkAddress =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'serial'; path: string; baudRate: number };

const BAUD_RATES = new Set([9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1000000, 1500000, 2000000, 3000000]);

/**
 * Parses a terminal address: `tcp://HOST:PORT`, a serial device path
 * (`/dev/ttyUSB0`, `COM3`) or `serial:PATH[@BAUD]`. Anything else is BAD_ADDRESS.
 */
export function parseAddress(address: string): LinkAddress {
  const bad = (why: string): never => {
    throw new ZucError(E.BAD_ADDRESS, `'${address}': ${why}`);
  };
  const text = address.trim();
  if (text.startsWith('tcp://')) {
    const m = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
    if (!m) return bad('expected tcp://HOST:PORT');
    const port = Number(m[2]);
    if (port < 1 || port > 65535) return bad(`port ${port} is outside 1..65535`);
    return { kind: 'tcp', host: m[1]!.replace(/^\[|\]$/g, ''), port };
  }
  if (text.startsWith('serial:')) {
    const m = /^serial:([^@]+)(?:@(\d+))?$/.exec(text);
    if (!m) return bad('expected serial:PATH[@BAUD]');
    const baudRate = m[2] === undefined ? DEFAULT_BAUD_RATE : Number(m[2]);
    if (!BAUD_RATES.has(baudRate)) return bad(`unsupported baud rate ${m[2]}`);
    return { kind: 'serial', path: checkPath(m[1]!, bad), baudRate };
  }
  if (text.startsWith('/') || /^COM\d+$/i.test(text)) return { kind: 'serial', path: checkPath(text, bad), baudRate: DEFAULT_BAUD_RATE };
  return bad('expected tcp://HOST:PORT, a serial device path or serial:PATH[@BAUD]');
}

function checkPath(path: string, bad: (why: string) => never): string {
  if (!(path.startsWith('/') || /^COM\d+$/i.test(path))) bad('a serial device path is absolute, e.g. /dev/ttyUSB0');
  if (/[\0\n]/.test(path)) bad('the path contains control characters');
  return path;
}
