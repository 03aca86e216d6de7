import { E, ZucError, type ErrorEntry } from '../../electron/shared/errors';
import { AGENT_INTERFACE, parseUsbAddress, usbAddressOf, type UsbAgentDevice, type UsbApi, type UsbDeviceHandle, type UsbDirection } from '../discovery/usb-api';
import { loadSystemUsb } from '../discovery/usb-watcher';
import type { ByteLink } from './byte-link';
import { LinkBase } from './link-base';

/** Where `usb:` addresses are looked up: the `usb` package's WebUSB object, or a simulated bus in tests and demos. */
export type UsbHost = UsbApi<UsbAgentDevice> | Promise<UsbApi<UsbAgentDevice>>;

/**
 * Bytes one IN transfer asks for: a multiple of the 512-byte high-speed
 * packet, larger than the largest agent frame. The read loop asks for the
 * next transfer only after the listeners had this one, so this is all the
 * link ever buffers.
 */
export const USB_IN_TRANSFER_BYTES = 64 * 1024;
/** An OUT transfer the terminal does not take within this long counts as the link gone (it NAKs forever, it hung). */
export const USB_OUT_TRANSFER_TIMEOUT_MS = 10_000;
/** A stall cleared this many times in a row without a transfer getting through means the endpoint is broken. */
export const USB_MAX_STALL_RECOVERIES = 3;
/** How long close() waits for queued writes and the pending IN transfer before letting go of the device anyway. */
export const USB_CLOSE_TIMEOUT_MS = 2000;

/** The agent interface as the device describes it: where to find it and its two bulk pipes. */
export interface AgentPipes {
  configurationValue: number | undefined;
  interfaceNumber: number;
  alternateSetting: number;
  inEndpoint: number;
  outEndpoint: number;
}

/** Finds the agent interface (AGENT_INTERFACE) and its bulk IN and OUT endpoints; USB_NO_AGENT_INTERFACE when there is none. */
export function findAgentPipes(device: Pick<UsbDeviceHandle, 'configurations'>, address: string): AgentPipes {
  let sawInterface = false;
  for (const config of device.configurations) {
    for (const iface of config.interfaces) {
      for (const alt of iface.alternates) {
        if (alt.interfaceClass !== AGENT_INTERFACE.interfaceClass || alt.interfaceSubclass !== AGENT_INTERFACE.interfaceSubclass || alt.interfaceProtocol !== AGENT_INTERFACE.interfaceProtocol) continue;
        sawInterface = true;
        const bulk = (direction: UsbDirection) => alt.endpoints?.find((ep) => ep.type === 'bulk' && ep.direction === direction);
        const inEp = bulk('in');
        const outEp = bulk('out');
        if (!inEp || !outEp) continue;
        return { configurationValue: config.configurationValue, interfaceNumber: iface.interfaceNumber, alternateSetting: alt.alternateSetting ?? 0, inEndpoint: inEp.endpointNumber, outEndpoint: outEp.endpointNumber };
      }
    }
  }
  throw new ZucError(E.USB_NO_AGENT_INTERFACE, `${address}: ${sawInterface ? 'the agent interface has no bulk IN and OUT endpoint pair' : 'no interface of class 0xFF, subclass 0x5A, protocol 0x01'}`);
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** How a failed open, configure or claim reads to the user; messages as libusb, nusb (the `usb` package) and WebUSB word them. */
function openFailure(err: unknown): ErrorEntry {
  const text = messageOf(err);
  if (/permission|access denied|EACCES|os error 13|ERROR_ACCESS|SecurityError/i.test(text)) return E.USB_ACCESS_DENIED;
  if (/busy|EBUSY|os error 16|already claimed|already open/i.test(text)) return E.USB_INTERFACE_BUSY;
  if (/disconnect|no such device|NO_DEVICE|ENODEV|os error 19|NotFoundError/i.test(text)) return E.USB_DEVICE_NOT_FOUND;
  return E.USB_OPEN_FAILED;
}

/** What a rejected transfer means for the link. */
function transferFailure(err: unknown): 'stall' | 'timeout' | 'lost' {
  const text = messageOf(err);
  if (/stall|pipe error|EPIPE/i.test(text)) return 'stall';
  // The `usb` package cancels a transfer at its timeout (1000 ms unless given).
  if (/cancel|timed? ?out|ETIMEDOUT/i.test(text)) return 'timeout';
  return 'lost';
}

class UsbLink extends LinkBase {
  readonly kind = 'usb' as const;
  private released: Promise<void> | undefined;
  private readonly reading: Promise<void>;

  constructor(
    address: string,
    private readonly device: UsbAgentDevice,
    private readonly pipes: AgentPipes,
    private readonly outTimeoutMs: number,
  ) {
    super(address);
    this.reading = this.readLoop();
  }

  private get open(): boolean {
    return !this.closed && !this.closing;
  }

  /** One IN transfer at a time, for as long as the link is open. */
  private async readLoop(): Promise<void> {
    let stalls = 0;
    while (this.open) {
      let status: string;
      let data: DataView | undefined;
      try {
        ({ status, data } = await this.device.transferIn(this.pipes.inEndpoint, USB_IN_TRANSFER_BYTES));
      } catch (err) {
        if (!this.open) return;
        const failure = transferFailure(err);
        // An idle pipe: the terminal had nothing to say within the package's transfer timeout.
        if (failure === 'timeout') continue;
        if (failure === 'stall' && (await this.clearStall('in', ++stalls))) continue;
        if (failure === 'lost') this.lose(`reading: ${messageOf(err)}`);
        return;
      }
      if (status === 'stall') {
        if (await this.clearStall('in', ++stalls)) continue;
        return;
      }
      if (status === 'babble') return this.lose('the terminal sent more than an IN transfer can hold (babble)');
      stalls = 0;
      if (data && data.byteLength > 0) this.events.emitData(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
  }

  /** Clears a halted endpoint; false (and the link lost) when that fails or the endpoint keeps stalling. */
  private async clearStall(direction: UsbDirection, stallsInARow: number): Promise<boolean> {
    const endpoint = direction === 'in' ? this.pipes.inEndpoint : this.pipes.outEndpoint;
    if (stallsInARow > USB_MAX_STALL_RECOVERIES) {
      this.lose(`the ${direction.toUpperCase()} endpoint ${endpoint} keeps stalling (${stallsInARow - 1} halts cleared)`);
      return false;
    }
    try {
      await this.device.clearHalt(direction, endpoint);
      return this.open;
    } catch (err) {
      this.lose(`clearing the halted ${direction.toUpperCase()} endpoint ${endpoint}: ${messageOf(err)}`);
      return false;
    }
  }

  /** The link is gone (unplugged, broken pipe): listeners hear LINK_LOST, the device is let go in the background. */
  private lose(why: string): void {
    if (this.closed) return;
    this.events.emitClose(new ZucError(E.LINK_LOST, `${this.address}: ${why}`));
    void this.release();
  }

  /** Releases the interface and closes the device, once; an unplugged device rejects both, which changes nothing. */
  private release(): Promise<void> {
    this.released ??= (async () => {
      await this.device.releaseInterface(this.pipes.interfaceNumber).catch(() => undefined);
      if (this.device.opened) await this.device.close().catch(() => undefined);
    })();
    return this.released;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.open) return Promise.reject(this.closedError());
    const copy = bytes.slice(); // the caller may reuse its buffer
    return this.queueWrite(() => this.send(copy));
  }

  /** Sends every byte, clearing stalls on the way; rejects with LINK_LOST (and loses the link) when that cannot be done. */
  private async send(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    let stalls = 0;
    while (offset < bytes.length) {
      if (this.closed) throw this.closedError();
      let status: string;
      let bytesWritten: number;
      try {
        ({ status, bytesWritten } = await this.device.transferOut(this.pipes.outEndpoint, bytes.subarray(offset), this.outTimeoutMs));
      } catch (err) {
        const failure = transferFailure(err);
        if (failure === 'stall' && (await this.clearStall('out', ++stalls))) continue;
        if (failure !== 'stall') this.lose(failure === 'timeout' ? `the terminal took no data for ${this.outTimeoutMs} ms` : `writing: ${messageOf(err)}`);
        throw new ZucError(E.LINK_LOST, `${this.address}: ${messageOf(err)}`, { cause: err });
      }
      if (status === 'stall') {
        // The halted transfer moved nothing the terminal kept; after clearHalt the same bytes go again.
        if (await this.clearStall('out', ++stalls)) continue;
        throw new ZucError(E.LINK_LOST, `${this.address}: the OUT endpoint stalled`);
      }
      if (!(bytesWritten > 0)) {
        // A transfer that completes without moving a byte would repeat forever.
        this.lose('the terminal completed an OUT transfer without taking any bytes');
        throw new ZucError(E.LINK_LOST, `${this.address}: an OUT transfer moved no bytes`);
      }
      stalls = 0;
      offset += Math.min(bytesWritten, bytes.length - offset);
    }
  }

  protected async shutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, USB_CLOSE_TIMEOUT_MS)));
    await Promise.race([this.writesSettled(), deadline]);
    // Releasing ends the pending IN transfer (the `usb` package lets it run out its timeout instead).
    await this.release();
    await Promise.race([this.reading, deadline]);
    clearTimeout(timer);
    this.events.emitClose();
  }
}

export interface UsbLinkOptions {
  /** How long one OUT transfer may wait for the terminal to take it; USB_OUT_TRANSFER_TIMEOUT_MS unless given. */
  outTransferTimeoutMs?: number;
}

/**
 * Opens the agent interface of a USB terminal: opens the device, selects
 * the agent's configuration if another one is active, claims the interface
 * and starts reading. Every failure is a catalogued code: USB_ACCESS_DENIED
 * (udev rules), USB_INTERFACE_BUSY, USB_NO_AGENT_INTERFACE,
 * USB_DEVICE_NOT_FOUND (unplugged meanwhile) or USB_OPEN_FAILED.
 */
export async function openUsbLink(address: string, device: UsbAgentDevice, options: UsbLinkOptions = {}): Promise<ByteLink> {
  const fail = (err: unknown, step: string): ZucError => (err instanceof ZucError ? err : new ZucError(openFailure(err), `${address}: ${step}: ${messageOf(err)}`, { cause: err }));
  if (device.opened) throw new ZucError(E.USB_INTERFACE_BUSY, `${address}: the device is already open in this console`);
  try {
    await device.open();
  } catch (err) {
    throw fail(err, 'opening the device');
  }
  let pipes: AgentPipes;
  try {
    // Read once open: the `usb` package reads descriptors of a closed device by opening it behind the scenes, which can fail on its own.
    try {
      pipes = findAgentPipes(device, address);
    } catch (err) {
      throw fail(err, 'reading the descriptors');
    }
    if (pipes.configurationValue !== undefined && device.configuration?.configurationValue !== pipes.configurationValue) {
      await device.selectConfiguration(pipes.configurationValue).catch((err: unknown) => {
        throw fail(err, `selecting configuration ${pipes.configurationValue}`);
      });
    }
    await device.claimInterface(pipes.interfaceNumber).catch((err: unknown) => {
      throw fail(err, `claiming interface ${pipes.interfaceNumber}`);
    });
    if (pipes.alternateSetting !== 0) {
      await device.selectAlternateInterface(pipes.interfaceNumber, pipes.alternateSetting).catch(async (err: unknown) => {
        await device.releaseInterface(pipes.interfaceNumber).catch(() => undefined);
        throw fail(err, `selecting alternate setting ${pipes.alternateSetting}`);
      });
    }
  } catch (err) {
    await device.close().catch(() => undefined);
    throw err;
  }
  return new UsbLink(address, device, pipes, options.outTransferTimeoutMs ?? USB_OUT_TRANSFER_TIMEOUT_MS);
}

/** A device's address as discovery reports it; undefined when its descriptors cannot be read (it is going away). */
function addressOf(device: UsbAgentDevice): string | undefined {
  try {
    return usbAddressOf(device);
  } catch {
    return undefined;
  }
}

/**
 * Opens `usb:VVVV:PPPP[:SERIAL]`: finds the attached device with those ids
 * (and serial number, which is how a re-plugged terminal is found again)
 * on `host`, the system's USB unless given. USB_UNAVAILABLE when the host
 * cannot list devices, USB_DEVICE_NOT_FOUND when none matches, BAD_ADDRESS
 * when an address without a serial number matches several.
 */
export async function openUsbAddress(address: string, host: UsbHost = loadSystemUsb()): Promise<ByteLink> {
  const wanted = parseUsbAddress(address);
  let devices: UsbAgentDevice[];
  try {
    devices = await (await host).getDevices();
  } catch (err) {
    throw new ZucError(E.USB_UNAVAILABLE, `${address}: ${messageOf(err)}`, { cause: err });
  }
  const named = devices.map((device) => ({ device, address: addressOf(device) }));
  const matches = named.filter(
    ({ device, address: found }) => found !== undefined && device.vendorId === wanted.vendorId && device.productId === wanted.productId && (wanted.serialNumber === undefined || device.serialNumber === wanted.serialNumber),
  );
  if (matches.length === 0) {
    const zte = named.filter((n) => n.device.vendorId === wanted.vendorId && n.address).map((n) => n.address);
    throw new ZucError(E.USB_DEVICE_NOT_FOUND, `${address}: no such device attached${zte.length ? `; attached with this vendor id: ${zte.join(', ')}` : ''}`);
  }
  if (matches.length > 1) throw new ZucError(E.BAD_ADDRESS, `${address} matches ${matches.length} devices; name one by its serial number: ${matches.map((m) => m.address).join(', ')}`);
  return openUsbLink(address.trim(), matches[0]!.device);
}
