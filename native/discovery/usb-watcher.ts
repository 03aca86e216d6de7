import { E, ZucError } from '../../electron/shared/errors';
import type { DiscoveryListener } from './discovered-link';
import { isZteAgent, usbAddressOf, type UsbAgentDevice, type UsbApi, type UsbConnectionEvent, type UsbDeviceHandle } from './usb-api';

/**
 * Reports ZTE terminals exposing the update agent as they are plugged in
 * and out. Every call into the USB API is guarded: on a machine without USB
 * the console keeps running with serial and TCP, and says so once.
 */
export class UsbWatcher {
  private readonly attachedDevices = new Map<UsbDeviceHandle, string>();
  private listening = false;

  private readonly onConnect = (event: UsbConnectionEvent): void => {
    // A listener that throws would surface as an uncaught exception in the USB module's dispatch.
    try {
      this.add(event.device);
    } catch (err) {
      this.listener.problem(new ZucError(E.USB_UNAVAILABLE, `a plugged device could not be read: ${(err as Error).message}`));
    }
  };

  private readonly onDisconnect = (event: UsbConnectionEvent): void => {
    const device = this.attachedDevices.has(event.device) ? event.device : this.sameDeviceAs(event.device);
    const address = device && this.attachedDevices.get(device);
    if (!device || address === undefined) return;
    this.attachedDevices.delete(device);
    this.listener.detached(address);
  };

  /**
   * The `usb` package hands `disconnect` listeners the object its own hotplug
   * list holds, which is not the one `getDevices()` gave at start: match
   * those by address (vendor, product, serial).
   */
  private sameDeviceAs(gone: UsbDeviceHandle): UsbDeviceHandle | undefined {
    let address: string;
    try {
      address = usbAddressOf(gone);
    } catch {
      return undefined;
    }
    for (const [device, known] of this.attachedDevices) if (known === address) return device;
    return undefined;
  }

  /** `api` is the `usb` package's WebUSB object in production (see loadSystemUsb). */
  constructor(private readonly api: UsbApi | Promise<UsbApi>, private readonly listener: DiscoveryListener) {}

  /** Reports the terminals attached now, then follows hotplug. Resolves false (after reporting USB_UNAVAILABLE) when USB cannot be used. */
  async start(): Promise<boolean> {
    if (this.listening) return true;
    let api: UsbApi;
    let devices: UsbDeviceHandle[];
    try {
      api = await this.api;
      // The probe: listeners are only added once listing works, because adding one starts a monitor whose failure nobody can catch.
      devices = await api.getDevices();
    } catch (err) {
      this.listener.problem(new ZucError(E.USB_UNAVAILABLE, (err as Error)?.message ?? String(err)));
      return false;
    }
    try {
      api.addEventListener('connect', this.onConnect);
      api.addEventListener('disconnect', this.onDisconnect);
      this.listening = true;
    } catch (err) {
      this.listener.problem(new ZucError(E.USB_UNAVAILABLE, `hotplug events: ${(err as Error).message}`));
    }
    for (const device of devices) this.onConnect({ device });
    return true;
  }

  async stop(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    try {
      const api = await this.api;
      api.removeEventListener('connect', this.onConnect);
      api.removeEventListener('disconnect', this.onDisconnect);
    } catch {
      // Nothing to undo: the listeners were never added to an API that failed to load.
    }
  }

  private add(device: UsbDeviceHandle): void {
    if (this.attachedDevices.has(device) || !isZteAgent(device)) return;
    const address = usbAddressOf(device);
    // The same terminal seen through another object (listed at start, then announced by hotplug): once is enough.
    if ([...this.attachedDevices.values()].includes(address)) return;
    this.attachedDevices.set(device, address);
    this.listener.attached({ address, via: 'usb', usbSerial: device.serialNumber ?? undefined, vendorId: device.vendorId, productId: device.productId });
  }
}

/**
 * The system's USB through the `usb` package, loaded on first use: its
 * native part may be missing (a platform without a prebuilt binary), which
 * then counts as USB being unavailable rather than a failed start.
 */
export async function loadSystemUsb(): Promise<UsbApi<UsbAgentDevice>> {
  const module = await import('usb');
  return module.usb;
}
