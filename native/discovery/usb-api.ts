// The `usb` package types its devices as WebUSB `USBDevice`s; without these globals its transfer calls vanish from the type (native/tsconfig loads only node types).
/// <reference types="w3c-web-usb" />
import { E, ZucError } from '../../electron/shared/errors';

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
 * - `disconnect` carries the object `connect` gave; a device listed by
 *   `getDevices()` before comes back as another object (every call
 *   enumerates anew), so it is matched by its address.
 * - `open()` rejects on an open or unplugged device; `close()` on a closed one.
 *
 * `D` is what the devices can do: discovery only reads descriptors
 * (`UsbDeviceHandle`); the USB link moves bytes (`UsbAgentDevice`). The
 * `usb` package's object is both.
 */
export interface UsbApi<D extends UsbDeviceHandle = UsbDeviceHandle> {
  getDevices(): Promise<D[]>;
  addEventListener(type: 'connect' | 'disconnect', listener: (event: UsbConnectionEvent<D>) => void): void;
  removeEventListener(type: 'connect' | 'disconnect', listener: (event: UsbConnectionEvent<D>) => void): void;
}

export interface UsbConnectionEvent<D extends UsbDeviceHandle = UsbDeviceHandle> {
  readonly device: D;
}

export type UsbDirection = 'in' | 'out';

/** An endpoint as WebUSB describes it; `endpointNumber` is the address without the direction bit. */
export interface UsbEndpointInfo {
  readonly endpointNumber: number;
  readonly direction: UsbDirection;
  readonly type: 'bulk' | 'interrupt' | 'isochronous';
  /** wMaxPacketSize in bytes: 512 for a USB 2.0 high-speed bulk endpoint. */
  readonly packetSize: number;
}

export interface UsbAlternateInterface {
  readonly interfaceClass: number;
  readonly interfaceSubclass: number;
  readonly interfaceProtocol: number;
  /** Optional for discovery, which only matches the class triple; the USB link needs them. */
  readonly alternateSetting?: number;
  readonly endpoints?: readonly UsbEndpointInfo[];
}

export interface UsbDeviceHandle {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber?: string | null;
  readonly opened: boolean;
  readonly configurations: readonly { readonly configurationValue?: number; readonly interfaces: readonly { readonly interfaceNumber: number; readonly alternates: readonly UsbAlternateInterface[] }[] }[];
  open(): Promise<void>;
  close(): Promise<void>;
}

/** WebUSB `USBTransferStatus`: a `stall` is cleared with `clearHalt`; `babble` means the device sent more than asked. */
export type UsbTransferStatus = 'ok' | 'stall' | 'babble';

export interface UsbInTransferResult {
  readonly data?: DataView;
  readonly status: UsbTransferStatus;
}

export interface UsbOutTransferResult {
  readonly bytesWritten: number;
  readonly status: UsbTransferStatus;
}

/**
 * A device the console moves bytes with: the WebUSB calls the USB link
 * uses, as the `usb` package 3.x implements them. Its sharp edges:
 * - Every call rejects on a closed device; transfers also on an interface
 *   this handle has not claimed (`… error: endpoint not found`).
 * - `claimInterface` rejects when another process or a kernel driver holds
 *   the interface (`Device or resource busy`).
 * - `transferIn(ep, length)` resolves with at most `length` bytes. The
 *   package's transfers take a third argument, a timeout in ms (default
 *   1000): an idle IN transfer then rejects (`transferIn error: Cancelled`)
 *   and is simply asked again.
 * - A halted endpoint answers `status: 'stall'` (or rejects with `Stall`)
 *   until `clearHalt` runs; an unplugged device rejects every transfer
 *   (`Disconnected`), pending ones included.
 */
export interface UsbAgentDevice extends UsbDeviceHandle {
  /** The active configuration; none when the device is unconfigured. */
  readonly configuration?: { readonly configurationValue: number } | null;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  selectAlternateInterface(interfaceNumber: number, alternateSetting: number): Promise<void>;
  transferIn(endpointNumber: number, length: number): Promise<UsbInTransferResult>;
  transferOut(endpointNumber: number, data: Uint8Array, timeoutMs?: number): Promise<UsbOutTransferResult>;
  clearHalt(direction: UsbDirection, endpointNumber: number): Promise<void>;
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

/** What a `usb:VVVV:PPPP[:SERIAL]` address names. */
export interface UsbAddress {
  vendorId: number;
  productId: number;
  /** Absent: the only attached device with these ids. */
  serialNumber?: string;
}

/** USB string descriptors hold at most 126 UTF-16 code units. */
const MAX_USB_SERIAL_CHARS = 126;

/** Parses an address made by `usbAddressOf`; anything else is BAD_ADDRESS. The serial may itself contain colons. */
export function parseUsbAddress(address: string): UsbAddress {
  const m = /^usb:([0-9a-fA-F]{4}):([0-9a-fA-F]{4})(?::(.+))?$/s.exec(address.trim());
  if (!m) throw new ZucError(E.BAD_ADDRESS, `'${address}': expected usb:VVVV:PPPP[:SERIAL] (hex vendor and product id)`);
  const serialNumber = m[3];
  if (serialNumber !== undefined && (serialNumber.length > MAX_USB_SERIAL_CHARS || /\p{Cc}/u.test(serialNumber))) {
    throw new ZucError(E.BAD_ADDRESS, `'${address}': a USB serial number has at most ${MAX_USB_SERIAL_CHARS} printable characters`);
  }
  return { vendorId: parseInt(m[1]!, 16), productId: parseInt(m[2]!, 16), ...(serialNumber === undefined ? {} : { serialNumber }) };
}
