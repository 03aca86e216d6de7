/**
 * The part of the WebUSB API (as the `usb` package 3.x implements it in
 * Node) discovery uses. Semantics the watcher relies on, and the fake in
 * usb-fake.ts enforces:
 * - `getDevices()` lists attached devices; it rejects when the system has no
 *   USB access at all (no /sys/bus/usb on Linux).
 * - The first `connect`/`disconnect` listener starts the system's hotplug
 *   monitor in the background; when USB is unavailable that start rejects
 *   with nobody to catch it, which ends a Node process. Probe with
 *   `getDevices()` first.
 * - `disconnect` carries the same device object `connect` or `getDevices()` gave.
 * - `open()` rejects on an open or unplugged device; `close()` on a closed one.
 */
export interface UsbApi {
  getDevices(): Promise<UsbDeviceHandle[]>;
  addEventListener(type: 'connect' | 'disconnect', listener: (event: UsbConnectionEvent) => void): void;
  removeEventListener(type: 'connect' | 'disconnect', listener: (event: UsbConnectionEvent) => void): void;
}

export interface UsbConnectionEvent {
  readonly device: UsbDeviceHandle;
}

export interface UsbAlternateInterface {
  readonly interfaceClass: number;
  readonly interfaceSubclass: number;
  readonly interfaceProtocol: number;
}

export interface UsbDeviceHandle {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber?: string | null;
  readonly opened: boolean;
  readonly configurations: readonly { readonly interfaces: readonly { readonly interfaceNumber: number; readonly alternates: readonly UsbAlternateInterface[] }[] }[];
  open(): Promise<void>;
  close(): Promise<void>;
}

/** ZTE Corporation's USB vendor id. */
export const ZTE_VENDOR_ID = 0x19d2;

/**
 * The update agent's USB interface: vendor-specific class, with the
 * subclass and protocol the agent firmware announces (docs/settings.md,
 * "USB"). Other interfaces of a ZTE device (modem, mass storage, adb) are
 * not ours to open.
 */
export const AGENT_INTERFACE = { interfaceClass: 0xff, interfaceSubclass: 0x5a, interfaceProtocol: 0x01 } as const;

/** Whether a device is a ZTE terminal exposing the update agent. */
export function isZteAgent(device: UsbDeviceHandle): boolean {
  if (device.vendorId !== ZTE_VENDOR_ID) return false;
  return device.configurations.some((config) =>
    config.interfaces.some((iface) =>
      iface.alternates.some(
        (alt) =>
          alt.interfaceClass === AGENT_INTERFACE.interfaceClass &&
          alt.interfaceSubclass === AGENT_INTERFACE.interfaceSubclass &&
          alt.interfaceProtocol === AGENT_INTERFACE.interfaceProtocol,
      ),
    ),
  );
}

/** The console address of a USB terminal: stable across re-plugs when the device reports a serial number. */
export function usbAddressOf(device: UsbDeviceHandle): string {
  const id = `${hex4(device.vendorId)}:${hex4(device.productId)}`;
  return device.serialNumber ? `usb:${id}:${device.serialNumber}` : `usb:${id}`;
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}
