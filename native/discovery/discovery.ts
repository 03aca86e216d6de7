import type { DiscoveryListener } from './discovered-link';
import { SerialPortWatcher, type PortLister } from './serial-port-watcher';
import { TcpTerminals } from './tcp-terminals';
import type { UsbApi } from './usb-api';
import { loadSystemUsb, UsbWatcher } from './usb-watcher';

export interface DiscoveryOptions {
  /** Serial port list; serialport's in production. */
  portLister?: PortLister;
  portPollIntervalMs?: number;
  /** Baud rate for discovered serial ports (settings' serial default). */
  baudRate?: number;
  /** Also report listed ports without USB ids (built-in UARTs). */
  includeBuiltInPorts?: boolean;
  /** WebUSB-shaped API; the `usb` package in production. `null` turns USB discovery off. */
  usb?: UsbApi | Promise<UsbApi> | null;
  /** TCP terminals from settings. */
  tcpTerminals?: readonly string[];
}

/**
 * Every way a terminal can appear: serial ports (polled list plus ports
 * added by path), USB hotplug of ZTE agent devices, TCP terminals from
 * settings. One failing source (no USB here) never stops the others.
 */
export class Discovery {
  private readonly serial: SerialPortWatcher;
  private readonly usb: UsbWatcher | null;
  private readonly tcp: TcpTerminals;

  constructor(listener: DiscoveryListener, private readonly options: DiscoveryOptions = {}) {
    this.serial = new SerialPortWatcher(listener, { lister: options.portLister, intervalMs: options.portPollIntervalMs, baudRate: options.baudRate, includeBuiltInPorts: options.includeBuiltInPorts });
    const usb = options.usb === undefined ? loadSystemUsb() : options.usb;
    // A failed load is reported by the watcher's start, like any other USB failure; never an unhandled rejection.
    if (usb instanceof Promise) usb.catch(() => undefined);
    this.usb = usb === null ? null : new UsbWatcher(usb, listener);
    this.tcp = new TcpTerminals(listener);
  }

  async start(): Promise<void> {
    this.tcp.set(this.options.tcpTerminals ?? []);
    await Promise.all([this.serial.start(), this.usb?.start()]);
  }

  addSerialPath(path: string): Promise<void> {
    return this.serial.addPath(path);
  }

  setSerialBaudRate(baudRate: number): void {
    this.serial.setBaudRate(baudRate);
  }

  setTcpTerminals(addresses: readonly string[]): void {
    this.tcp.set(addresses);
  }

  async stop(): Promise<void> {
    this.serial.stop();
    await this.usb?.stop();
  }
}
