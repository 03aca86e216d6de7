import { stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { E, ZucError } from '../../electron/shared/errors';
import { DEFAULT_BAUD_RATE } from '../transport/address';
import type { DiscoveryListener } from './discovered-link';

/** What the operating system says about one serial port (the part of serialport's PortInfo we use). */
export interface ListedPort {
  path: string;
  serialNumber?: string;
  /** Hex string, as serialport reports it (`19d2`). */
  vendorId?: string;
  productId?: string;
}

/** Lists the system's serial ports; serialport's `SerialPort.list` in production. */
export type PortLister = () => Promise<ListedPort[]>;

export const defaultPortLister: PortLister = () => SerialPort.list();

/** How often the port list is read; a user plugging a cable expects the port within a second or two. */
export const PORT_POLL_INTERVAL_MS = 1000;

export interface SerialPortWatcherOptions {
  lister?: PortLister;
  intervalMs?: number;
  /** The baud rate the addresses carry (settings' serial default). */
  baudRate?: number;
  /**
   * Also report listed ports without USB ids (a PC's built-in UARTs,
   * `/dev/ttyS0`): off by default, because most machines list several that
   * lead nowhere; a terminal on one is added by path.
   */
  includeBuiltInPorts?: boolean;
}

/**
 * Finds serial ports by reading the port list on an interval and comparing
 * it with the last one. Ports added by path are watched by their device
 * node: pseudo-terminals and some adapters never appear in the list (it
 * needs udev on Linux).
 */
export class SerialPortWatcher {
  private readonly lister: PortLister;
  private readonly intervalMs: number;
  private baudRate: number;
  private readonly includeBuiltInPorts: boolean;
  private readonly manualPaths = new Set<string>();
  /** Attached ports by path. */
  private readonly present = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private listFailing = false;
  private stopped = true;

  constructor(private readonly listener: DiscoveryListener, options: SerialPortWatcherOptions = {}) {
    this.lister = options.lister ?? defaultPortLister;
    this.intervalMs = options.intervalMs ?? PORT_POLL_INTERVAL_MS;
    this.baudRate = options.baudRate ?? DEFAULT_BAUD_RATE;
    this.includeBuiltInPorts = options.includeBuiltInPorts ?? false;
  }

  /** Reads the list at once, then on every interval. */
  start(): Promise<void> {
    if (!this.stopped) return this.polling ?? Promise.resolve();
    this.stopped = false;
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
    return this.poll();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Watches a port the list does not show (a PTY, `COM7` on a machine without enumeration); resolves after checking it. */
  addPath(path: string): Promise<void> {
    this.manualPaths.add(path);
    return this.poll();
  }

  removePath(path: string): void {
    this.manualPaths.delete(path);
  }

  /**
   * A new default baud rate (changed in settings): ports present now are
   * reported detached at their old address and attached at the new one.
   */
  setBaudRate(baudRate: number): void {
    if (baudRate === this.baudRate) return;
    this.baudRate = baudRate;
    for (const [path, address] of this.present) {
      const next = this.addressOf(path);
      this.present.set(path, next);
      this.listener.detached(address);
      this.listener.attached({ address: next, via: 'serial' });
    }
  }

  /** The address a port is opened with: its path, with the baud rate when it is not the default. */
  addressOf(path: string): string {
    return this.baudRate === DEFAULT_BAUD_RATE ? path : `serial:${path}@${this.baudRate}`;
  }

  /** One comparison at a time: two overlapping reads could report a port twice. */
  poll(): Promise<void> {
    this.polling ??= this.compare().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async compare(): Promise<void> {
    const seen = new Map<string, ListedPort>();
    try {
      for (const port of await this.lister()) {
        if (typeof port.path !== 'string' || !port.path) continue;
        if (port.vendorId || this.includeBuiltInPorts) seen.set(port.path, port);
      }
      this.listFailing = false;
    } catch (err) {
      // Keep the ports we had: a failing list says nothing about them. Report once per outage.
      if (!this.listFailing) this.listener.problem(new ZucError(E.PORT_LIST_FAILED, (err as Error).message ?? String(err)));
      this.listFailing = true;
      for (const path of this.present.keys()) if (!this.manualPaths.has(path)) seen.set(path, { path });
    }
    for (const path of this.manualPaths) {
      if (!seen.has(path) && (await exists(path))) seen.set(path, { path });
    }
    if (this.stopped) return;
    for (const [path, address] of this.present) {
      if (seen.has(path)) continue;
      this.present.delete(path);
      this.listener.detached(address);
    }
    for (const [path, port] of seen) {
      if (this.present.has(path)) continue;
      const address = this.addressOf(path);
      this.present.set(path, address);
      this.listener.attached({ address, via: 'serial', usbSerial: port.serialNumber, vendorId: hexId(port.vendorId), productId: hexId(port.productId) });
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function hexId(text: string | undefined): number | undefined {
  if (!text || !/^[0-9a-fA-F]{1,4}$/.test(text)) return undefined;
  return parseInt(text, 16);
}
