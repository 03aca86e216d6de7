import type { UsbAlternateInterface, UsbApi, UsbConnectionEvent, UsbDeviceHandle } from './usb-api';

/** What node-usb says on a machine without a USB subsystem. */
export const NO_USB_MESSAGE = 'getDevices error: /sys/bus/usb/devices/ not found (errno 2)';

export interface FakeDeviceSpec {
  vendorId: number;
  productId: number;
  serialNumber?: string;
  /** One configuration's interfaces, each with its alternate settings. */
  interfaces: UsbAlternateInterface[][];
}

type Listener = (event: UsbConnectionEvent) => void;

/**
 * A strict stand-in for the `usb` package's WebUSB object, for tests on
 * machines without USB. It keeps the contract the real one has, including
 * its sharp edges: a listener that throws becomes an uncaught exception, a
 * monitor started without USB rejects with nobody listening, calls on an
 * unplugged or wrongly opened device reject.
 */
export class FakeUsb implements UsbApi {
  private readonly devices: FakeUsbDevice[] = [];
  private readonly listeners = { connect: new Set<Listener>(), disconnect: new Set<Listener>() };
  private monitorStarted = false;
  /** Calls seen, for tests that check the API was left alone. */
  readonly calls: string[] = [];

  constructor(private readonly available = true) {}

  async getDevices(): Promise<UsbDeviceHandle[]> {
    this.calls.push('getDevices');
    if (!this.available) throw new Error(NO_USB_MESSAGE);
    return [...this.devices];
  }

  addEventListener(type: 'connect' | 'disconnect', listener: Listener): void {
    this.calls.push(`addEventListener:${type}`);
    this.listeners[type].add(listener);
    if (!this.monitorStarted) {
      this.monitorStarted = true;
      // As node-usb: the hotplug monitor starts in the background and its failure is nobody's to catch.
      if (!this.available) void Promise.reject(new Error(NO_USB_MESSAGE)).then(() => undefined);
    }
  }

  removeEventListener(type: 'connect' | 'disconnect', listener: Listener): void {
    this.calls.push(`removeEventListener:${type}`);
    this.listeners[type].delete(listener);
    if (this.listeners.connect.size + this.listeners.disconnect.size === 0) this.monitorStarted = false;
  }

  /** Plugs a device in; resolves once its `connect` event was dispatched. */
  async plug(spec: FakeDeviceSpec): Promise<FakeUsbDevice> {
    if (!this.available) throw new Error('FakeUsb: a machine without USB cannot have a device plugged in');
    const device = new FakeUsbDevice(spec);
    this.devices.push(device);
    await this.dispatch('connect', device);
    return device;
  }

  /** Pulls a device out; resolves once its `disconnect` event was dispatched. */
  async unplug(device: FakeUsbDevice): Promise<void> {
    const index = this.devices.indexOf(device);
    if (index < 0) throw new Error('FakeUsb: unplugging a device that is not plugged in');
    this.devices.splice(index, 1);
    device.gone = true;
    await this.dispatch('disconnect', device);
  }

  listenerCount(): number {
    return this.listeners.connect.size + this.listeners.disconnect.size;
  }

  private async dispatch(type: 'connect' | 'disconnect', device: FakeUsbDevice): Promise<void> {
    // Hotplug events arrive from the native side, never inside the caller's stack.
    await new Promise((resolve) => setImmediate(resolve));
    for (const listener of [...this.listeners[type]]) {
      try {
        const result: unknown = listener({ device });
        // An async listener's rejection is not handled by the dispatcher either.
        if (result instanceof Promise) void result.then(() => undefined);
      } catch (err) {
        // EventTarget reports a throwing listener as an uncaught exception.
        setTimeout(() => {
          throw err;
        }, 0);
      }
    }
  }
}

export class FakeUsbDevice implements UsbDeviceHandle {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber: string | null;
  readonly configurations: UsbDeviceHandle['configurations'];
  opened = false;
  /** Set when unplugged: every call rejects from then on. */
  gone = false;

  constructor(spec: FakeDeviceSpec) {
    this.vendorId = spec.vendorId;
    this.productId = spec.productId;
    this.serialNumber = spec.serialNumber ?? null;
    this.configurations = [{ interfaces: spec.interfaces.map((alternates, interfaceNumber) => ({ interfaceNumber, alternates })) }];
  }

  async open(): Promise<void> {
    if (this.gone) throw new Error('LIBUSB_ERROR_NO_DEVICE');
    if (this.opened) throw new Error('InvalidStateError: the device is already open');
    this.opened = true;
  }

  async close(): Promise<void> {
    if (this.gone) throw new Error('LIBUSB_ERROR_NO_DEVICE');
    if (!this.opened) throw new Error('InvalidStateError: the device is not open');
    this.opened = false;
  }
}
