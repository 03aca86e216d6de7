import { E, ZucError } from '../../electron/shared/errors';
import {
  AGENT_INTERFACE,
  usbAddressOf,
  ZTE_VENDOR_ID,
  type UsbAgentDevice,
  type UsbDeviceHandle,
  type UsbDirection,
  type UsbInTransferResult,
  type UsbOutTransferResult,
} from '../discovery/usb-api';
import { VirtualUsbBus, type PluggableUsbDevice } from '../discovery/usb-bus';
import type { ByteLink } from '../transport/byte-link';
import { LinkBase } from '../transport/link-base';

/** wMaxPacketSize of a USB 2.0 high-speed bulk endpoint. */
export const USB2_BULK_PACKET_BYTES = 512;
/** The `usb` package's transfer timeout when none is given: an idle IN transfer is cancelled after it. */
export const USB_DEFAULT_TRANSFER_TIMEOUT_MS = 1000;
/** The product id simulated terminals enumerate with (ZTE's vendor id, a product id of its MF range). */
export const SIMULATED_USB_PRODUCT_ID = 0x1405;
/** How long a simulated cable pull keeps the terminal off the bus before it enumerates again. */
export const USB_REPLUG_MS = 300;
/** The largest IN transfer a host may ask for here (libusb's practical bound on Linux is far above an agent frame). */
const MAX_TRANSFER_BYTES = 16 * 1024 * 1024;

const CONFIGURATION_VALUE = 1;
/** Interface 0 is the terminal's diagnostic serial port (a vendor class the kernel's option driver takes); the agent is interface 1. */
const DIAG_INTERFACE_NUMBER = 0;
const AGENT_INTERFACE_NUMBER = 1;
const DIAG_ENDPOINT = 1;
const AGENT_ENDPOINT = 2;

const bulk = (endpointNumber: number, direction: UsbDirection) => ({ endpointNumber, direction, type: 'bulk' as const, packetSize: USB2_BULK_PACKET_BYTES });

/** The descriptors every simulated terminal reports: one configuration, a diagnostic port and the agent. */
const CONFIGURATIONS: UsbDeviceHandle['configurations'] = [
  {
    configurationValue: CONFIGURATION_VALUE,
    interfaces: [
      {
        interfaceNumber: DIAG_INTERFACE_NUMBER,
        alternates: [{ alternateSetting: 0, interfaceClass: 0xff, interfaceSubclass: 0xff, interfaceProtocol: 0xff, endpoints: [bulk(DIAG_ENDPOINT, 'in'), bulk(DIAG_ENDPOINT, 'out')] }],
      },
      {
        interfaceNumber: AGENT_INTERFACE_NUMBER,
        alternates: [{ alternateSetting: 0, ...AGENT_INTERFACE, endpoints: [bulk(AGENT_ENDPOINT, 'in'), bulk(AGENT_ENDPOINT, 'out')] }],
      },
    ],
  },
];

/** The messages the `usb` package (nusb underneath) rejects with, so the console's classification is exercised as on hardware. */
const gone = (op: string) => new Error(`${op} error: Disconnected`);
const noDevice = (op: string) => new Error(`${op} error: No such device (os error 19)`);
const busy = (op: string) => new Error(`${op} error: Device or resource busy (os error 16)`);
const notOpen = (op: string) => new Error(`InvalidStateError: ${op}: the device is not open`);
const noEndpoint = (op: string) => new Error(`${op} error: endpoint not found`);

interface PendingIn {
  owner: SimulatedUsbDevice;
  length: number;
  resolve(result: UsbInTransferResult): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * The physical device: what every handle (this process's, another
 * process's) shares — interface claims, halted endpoints, the agent's IN
 * data — and the agent's end of the pipe.
 */
class UsbFunction {
  readonly claims = new Map<number, SimulatedUsbDevice>();
  /** Halted endpoints, and how a transfer on one ends: rejected as the `usb` package does (`Stall`), or resolved with status `stall` as WebUSB in a browser does. */
  readonly halted = new Map<UsbDirection, 'rejection' | 'status'>();
  /** The agent stopped taking OUT data (hung, NAKing every packet): OUT transfers run into their timeout. */
  hung = false;
  configurationValue: number | null = CONFIGURATION_VALUE;
  unplugged = false;
  /** The device node's permissions let this user open it (udev rules installed). */
  accessible = true;
  /** Agent → console, one entry per write of the agent; a transfer never spans two (each ends with a short packet). */
  private readonly inQueue: Uint8Array[] = [];
  private readonly pendingIn: PendingIn[] = [];
  readonly agentLink: AgentPipeLink;

  constructor(address: string) {
    this.agentLink = new AgentPipeLink(address, this);
  }

  /** What the agent wrote, to the oldest waiting IN transfer or the queue. */
  agentWrote(bytes: Uint8Array): void {
    this.inQueue.push(bytes);
    this.serve();
  }

  takeIn(pending: PendingIn): void {
    this.pendingIn.push(pending);
    this.serve();
  }

  private serve(): void {
    while (this.pendingIn.length > 0 && this.inQueue.length > 0) {
      const pending = this.pendingIn.shift()!;
      clearTimeout(pending.timer);
      const head = this.inQueue[0]!;
      const n = Math.min(head.length, pending.length);
      if (n === head.length) this.inQueue.shift();
      else this.inQueue[0] = head.subarray(n);
      const data = head.slice(0, n);
      pending.resolve({ status: 'ok', data: new DataView(data.buffer, data.byteOffset, data.byteLength) });
    }
  }

  /** Ends the waiting IN transfers of `owner` (all when undefined) with `error`. */
  cancelIn(error: Error, owner?: SimulatedUsbDevice): void {
    for (const pending of [...this.pendingIn]) {
      if (owner && pending.owner !== owner) continue;
      this.pendingIn.splice(this.pendingIn.indexOf(pending), 1);
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }

  dropPending(pending: PendingIn): void {
    const index = this.pendingIn.indexOf(pending);
    if (index >= 0) this.pendingIn.splice(index, 1);
  }

  /** The console let go of the agent interface: what it did not read is dropped, as the agent resets its endpoints. */
  released(): void {
    this.inQueue.length = 0;
  }

  unplug(): void {
    if (this.unplugged) return;
    this.unplugged = true;
    this.cancelIn(gone('transferIn'));
    this.inQueue.length = 0;
    this.agentLink.cut();
  }
}

/** The agent's end of the bulk pipe: what the console sends arrives here; what the agent writes waits for IN transfers. */
class AgentPipeLink extends LinkBase {
  readonly kind = 'usb' as const;

  constructor(
    address: string,
    private readonly fn: UsbFunction,
  ) {
    super(address);
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new ZucError(E.LINK_LOST, `${this.address}: unplugged`));
    this.fn.agentWrote(bytes.slice());
    return Promise.resolve();
  }

  received(bytes: Uint8Array): void {
    this.events.emitData(bytes);
  }

  /** The cable is out: the agent's side of the pipe is gone. */
  cut(): void {
    this.events.emitClose(new ZucError(E.LINK_LOST, `${this.address}: unplugged`));
  }

  /** The agent cannot close its own USB function; only unplugging ends it. */
  protected async shutdown(): Promise<void> {
    this.cut();
  }
}

/**
 * A simulated ZTE terminal as WebUSB shows it, with the strictness of real
 * hardware under the `usb` package: transfers need an open device and a
 * claimed interface, an interface claimed through another handle (another
 * process) is busy, IN transfers return at most the requested length and
 * are cancelled after their timeout when the agent is silent, a halted
 * endpoint fails every transfer with a stall until `clearHalt`, and unplugging rejects every
 * pending and later call. Each enumeration is a new object, as on a real bus.
 */
export class SimulatedUsbDevice implements UsbAgentDevice, PluggableUsbDevice {
  readonly vendorId = ZTE_VENDOR_ID;
  readonly configurations = CONFIGURATIONS;
  private isOpen = false;
  private readonly fn: UsbFunction;

  constructor(
    readonly productId: number,
    readonly serialNumber: string,
    shared?: UsbFunction,
  ) {
    this.fn = shared ?? new UsbFunction(`usb:${ZTE_VENDOR_ID.toString(16)}:${productId.toString(16).padStart(4, '0')}:${serialNumber}#agent`);
  }

  /** The agent's end of the pipe (what the simulated terminal attaches its agent to). */
  get agentLink(): ByteLink {
    return this.fn.agentLink;
  }

  get opened(): boolean {
    return this.isOpen;
  }

  get configuration(): { configurationValue: number } | null {
    return this.fn.configurationValue === null ? null : { configurationValue: this.fn.configurationValue };
  }

  /** The same device as another process sees it: its own handle, sharing claims and data. */
  anotherHandle(): SimulatedUsbDevice {
    return new SimulatedUsbDevice(this.productId, this.serialNumber, this.fn);
  }

  /** Test hook: the endpoint halts (a protocol error on the device side) until the host clears it. */
  haltEndpoint(direction: UsbDirection, reportedAs: 'rejection' | 'status' = 'rejection'): void {
    this.fn.halted.set(direction, reportedAs);
  }

  /** Test hook: the agent hangs and NAKs every OUT packet; OUT transfers end at their timeout. */
  hang(): void {
    this.fn.hung = true;
  }

  /** Test hook: the device node is not this user's to open (Linux without the console's udev rules). */
  denyAccess(): void {
    this.fn.accessible = false;
  }

  /** Test hook: the device starts unconfigured (as on some hosts before anything selected a configuration). */
  unconfigure(): void {
    this.fn.configurationValue = null;
  }

  unplugged(): void {
    this.isOpen = false;
    this.fn.unplug();
  }

  async open(): Promise<void> {
    if (this.fn.unplugged) throw noDevice('open');
    if (!this.fn.accessible) throw new Error('open error: Permission denied (os error 13)');
    if (this.isOpen) throw new Error('InvalidStateError: open: the device is already open');
    this.isOpen = true;
  }

  async close(): Promise<void> {
    if (this.fn.unplugged) throw noDevice('close');
    if (!this.isOpen) throw notOpen('close');
    this.letGo();
    this.isOpen = false;
  }

  async selectConfiguration(configurationValue: number): Promise<void> {
    this.check('selectConfiguration');
    if (configurationValue !== CONFIGURATION_VALUE) throw new Error('selectConfiguration error: invalid configuration');
    if (this.fn.claims.size > 0) throw busy('selectConfiguration');
    this.fn.configurationValue = configurationValue;
  }

  async claimInterface(interfaceNumber: number): Promise<void> {
    this.check('claimInterface');
    if (this.fn.configurationValue === null) throw new Error('claimInterface error: invalid state');
    if (!CONFIGURATIONS[0]!.interfaces.some((i) => i.interfaceNumber === interfaceNumber)) throw new Error('claimInterface error: No such file or directory (os error 2)');
    const owner = this.fn.claims.get(interfaceNumber);
    if (owner && owner !== this) throw busy('claimInterface');
    this.fn.claims.set(interfaceNumber, this);
  }

  async releaseInterface(interfaceNumber: number): Promise<void> {
    this.check('releaseInterface');
    if (this.fn.claims.get(interfaceNumber) !== this) throw new Error('releaseInterface error: not claimed');
    this.release(interfaceNumber);
  }

  async selectAlternateInterface(interfaceNumber: number, alternateSetting: number): Promise<void> {
    this.check('selectAlternateInterface');
    if (this.fn.claims.get(interfaceNumber) !== this) throw new Error('selectAlternateInterface error: invalid state');
    if (alternateSetting !== 0) throw new Error('selectAlternateInterface error: Invalid argument (os error 22)');
  }

  async clearHalt(direction: UsbDirection, endpointNumber: number): Promise<void> {
    this.check('clearHalt');
    this.agentEndpoint('clearHalt', endpointNumber);
    this.fn.halted.delete(direction);
  }

  async transferOut(endpointNumber: number, data: Uint8Array, timeoutMs = USB_DEFAULT_TRANSFER_TIMEOUT_MS): Promise<UsbOutTransferResult> {
    this.checkTransfer('transferOut', endpointNumber);
    if (!(data instanceof Uint8Array)) throw new TypeError('transferOut: data must be a Uint8Array');
    const halt = this.fn.halted.get('out');
    if (halt === 'status') return { status: 'stall', bytesWritten: 0 };
    if (halt === 'rejection') throw new Error('transferOut error: Stall');
    if (this.fn.hung) {
      await new Promise((resolve) => setTimeout(resolve, timeoutMs));
      throw new Error('transferOut error: Cancelled');
    }
    const bytes = data.slice(); // the host's buffer is the caller's again once this returns
    // The bytes cross the bus after the call returned, never inside the caller's stack.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.fn.unplugged) throw gone('transferOut');
    this.fn.agentLink.received(bytes);
    return { status: 'ok', bytesWritten: bytes.length };
  }

  transferIn(endpointNumber: number, length: number, timeoutMs = USB_DEFAULT_TRANSFER_TIMEOUT_MS): Promise<UsbInTransferResult> {
    try {
      this.checkTransfer('transferIn', endpointNumber);
      if (!Number.isSafeInteger(length) || length <= 0 || length > MAX_TRANSFER_BYTES) throw new TypeError(`transferIn: length ${length} is not 1..${MAX_TRANSFER_BYTES}`);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const halt = this.fn.halted.get('in');
    if (halt === 'status') return Promise.resolve({ status: 'stall' });
    if (halt === 'rejection') return Promise.reject(new Error('transferIn error: Stall'));
    return new Promise((resolve, reject) => {
      const pending: PendingIn = {
        owner: this,
        length,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.fn.dropPending(pending);
          reject(new Error('transferIn error: Cancelled'));
        }, timeoutMs),
      };
      pending.timer.unref();
      this.fn.takeIn(pending);
    });
  }

  private check(op: string): void {
    if (this.fn.unplugged) throw gone(op);
    if (!this.isOpen) throw notOpen(op);
  }

  private checkTransfer(op: string, endpointNumber: number): void {
    this.check(op);
    this.agentEndpoint(op, endpointNumber);
  }

  /** Transfers go to the agent's endpoint of an interface this handle claimed; anything else is not found, as in the `usb` package. */
  private agentEndpoint(op: string, endpointNumber: number): void {
    if (endpointNumber !== AGENT_ENDPOINT || this.fn.claims.get(AGENT_INTERFACE_NUMBER) !== this) throw noEndpoint(op);
  }

  private release(interfaceNumber: number): void {
    this.fn.claims.delete(interfaceNumber);
    if (interfaceNumber !== AGENT_INTERFACE_NUMBER) return;
    this.fn.cancelIn(new Error('transferIn error: Cancelled'), this);
    this.fn.released();
  }

  /** Closing a handle releases what it claimed. */
  private letGo(): void {
    for (const [interfaceNumber, owner] of [...this.fn.claims]) if (owner === this) this.release(interfaceNumber);
  }
}

/** A bus simulated terminals plug into; hand it to discovery (`usb`) and to openLink (`usb`) in the same process. */
export type SimulatedUsbBus = VirtualUsbBus<SimulatedUsbDevice>;

export function createSimulatedUsbBus(): SimulatedUsbBus {
  return new VirtualUsbBus<SimulatedUsbDevice>();
}

/**
 * The terminal's USB port, as TcpEndpoint is its network port: online it
 * is plugged into the bus (a new device object per enumeration), offline
 * (booting, powered off) it is not. A cable pull (disconnect fault) takes
 * it off the bus for USB_REPLUG_MS; it comes back with the same serial
 * number, so the console finds it at the same address.
 */
export class UsbEndpoint {
  private device: SimulatedUsbDevice | undefined;
  private wanted = false;
  readonly address: string;

  constructor(
    private readonly bus: SimulatedUsbBus,
    private readonly serialNumber: string,
    private readonly accept: (link: ByteLink, drop: () => void) => void,
    private readonly productId = SIMULATED_USB_PRODUCT_ID,
  ) {
    this.address = usbAddressOf(new SimulatedUsbDevice(productId, serialNumber));
  }

  /** Enumerates on the bus; the agent gets the new device's pipe. */
  async online(): Promise<void> {
    this.wanted = true;
    await this.plug();
  }

  /** Leaves the bus (reboot, power off): pending transfers reject, the agent's connection ends. */
  async offline(): Promise<void> {
    this.wanted = false;
    await this.unplug();
  }

  private async plug(): Promise<void> {
    if (this.device) return;
    const device = new SimulatedUsbDevice(this.productId, this.serialNumber);
    this.device = device;
    this.accept(device.agentLink, () => void this.replug(device));
    await this.bus.attach(device);
  }

  private async unplug(): Promise<void> {
    const device = this.device;
    this.device = undefined;
    if (device) await this.bus.detach(device);
  }

  /** A pulled cable: off the bus, and back after a moment unless the terminal went offline meanwhile. */
  private async replug(device: SimulatedUsbDevice): Promise<void> {
    if (this.device !== device) return;
    await this.unplug();
    await new Promise((resolve) => setTimeout(resolve, USB_REPLUG_MS));
    if (this.wanted) await this.plug();
  }
}
