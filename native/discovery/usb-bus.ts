import type { UsbApi, UsbConnectionEvent, UsbDeviceHandle } from './usb-api';

/** What node-usb says on a machine without a USB subsystem. */
export const NO_USB_MESSAGE = 'getDevices error: /sys/bus/usb/devices/ not found (errno 2)';

/** A device that can be pulled out of a virtual bus: from then on every call on it rejects, pending transfers included. */
export interface PluggableUsbDevice extends UsbDeviceHandle {
  unplugged(): void;
}

type Listener<D extends UsbDeviceHandle> = (event: UsbConnectionEvent<D>) => void;

/**
 * A USB host controller in software, shaped like the `usb` package's WebUSB
 * object: what tests plug descriptor-only fakes into and what the simulator
 * plugs its terminals into. It keeps the real object's contract, including
 * its sharp edges: a listener that throws becomes an uncaught exception, a
 * monitor started without USB rejects with nobody listening, and events
 * arrive outside the caller's stack.
 */
export class VirtualUsbBus<D extends PluggableUsbDevice = PluggableUsbDevice> implements UsbApi<D> {
  private readonly devices: D[] = [];
  private readonly listeners = { connect: new Set<Listener<D>>(), disconnect: new Set<Listener<D>>() };
  private monitorStarted = false;
  /** Calls seen, for tests that check the API was left alone. */
  readonly calls: string[] = [];

  constructor(readonly available = true) {}

  async getDevices(): Promise<D[]> {
    this.calls.push('getDevices');
    if (!this.available) throw new Error(NO_USB_MESSAGE);
    return [...this.devices];
  }

  addEventListener(type: 'connect' | 'disconnect', listener: Listener<D>): void {
    this.calls.push(`addEventListener:${type}`);
    this.listeners[type].add(listener);
    if (!this.monitorStarted) {
      this.monitorStarted = true;
      // As node-usb: the hotplug monitor starts in the background and its failure is nobody's to catch.
      if (!this.available) void Promise.reject(new Error(NO_USB_MESSAGE)).then(() => undefined);
    }
  }

  removeEventListener(type: 'connect' | 'disconnect', listener: Listener<D>): void {
    this.calls.push(`removeEventListener:${type}`);
    this.listeners[type].delete(listener);
    if (this.listenerCount() === 0) this.monitorStarted = false;
  }

  listenerCount(): number {
    return this.listeners.connect.size + this.listeners.disconnect.size;
  }

  /** Plugs a device in; resolves once its `connect` event was dispatched. */
  async attach(device: D): Promise<void> {
    if (!this.available) throw new Error('VirtualUsbBus: a machine without USB cannot have a device plugged in');
    this.devices.push(device);
    await this.dispatch('connect', device);
  }

  /** Pulls a device out; resolves once its `disconnect` event was dispatched. */
  async detach(device: D): Promise<void> {
    const index = this.devices.indexOf(device);
    if (index < 0) throw new Error('VirtualUsbBus: unplugging a device that is not plugged in');
    this.devices.splice(index, 1);
    device.unplugged();
    await this.dispatch('disconnect', device);
  }

  private async dispatch(type: 'connect' | 'disconnect', device: D): Promise<void> {
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
