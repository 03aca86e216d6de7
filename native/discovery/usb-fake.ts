import type { UsbAlternateInterface, UsbDeviceHandle } from './usb-api';
import { VirtualUsbBus, type PluggableUsbDevice } from './usb-bus';

export { NO_USB_MESSAGE } from './usb-bus';

export interface FakeDeviceSpec {
  vendorId: number;
  productId: number;
  serialNumber?: string;
  /** One configuration's interfaces, each with its alternate settings. */
  interfaces: UsbAlternateInterface[][];
}

/**
 * A strict stand-in for the `usb` package's WebUSB object holding
 * descriptor-only devices, for discovery tests on machines without USB
 * (the bus's contract is VirtualUsbBus's).
 */
export class FakeUsb extends VirtualUsbBus<FakeUsbDevice> {
  /** Plugs a device in; resolves once its `connect` event was dispatched. */
  async plug(spec: FakeDeviceSpec): Promise<FakeUsbDevice> {
    if (!this.available) throw new Error('FakeUsb: a machine without USB cannot have a device plugged in');
    const device = new FakeUsbDevice(spec);
    await this.attach(device);
    return device;
  }

  /** Pulls a device out; resolves once its `disconnect` event was dispatched. */
  async unplug(device: FakeUsbDevice): Promise<void> {
    await this.detach(device).catch((err: Error) => {
      throw new Error(err.message.replace('VirtualUsbBus', 'FakeUsb'));
    });
  }
}

export class FakeUsbDevice implements PluggableUsbDevice {
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

  unplugged(): void {
    this.gone = true;
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
