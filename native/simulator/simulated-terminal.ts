import type { SlotName } from '../../electron/shared/contract';
import { E, ZucError } from '../../electron/shared/errors';
import { FIRMWARE_HEADER_SIZE, parseFirmwareHeader } from '../firmware';
import { AgentDevice, type DeltaApplier, type DeviceConnection } from './agent-device';
import { runBootloader } from './bootloader';
import { describeFault, type Fault } from './faults';
import { PtyEndpoint } from './pty-endpoint';
import { TcpEndpoint } from './tcp-endpoint';
import { UsbEndpoint, type SimulatedUsbBus } from './usb-endpoint';
import { buildTestFirmware, DEFAULT_TEST_PAYLOAD_BYTES } from './test-firmware';
import { TerminalStore } from './terminal-store';

export const DEFAULT_SLOT_SIZE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_BOOT_MS = 1500;
export const DEFAULT_MAX_TRIES = 3;
export const DEFAULT_MAX_CHUNK_BYTES = 60 * 1024;
export const DEFAULT_MAX_WINDOW_CHUNKS = 32;
/** How long a serial terminal stays deaf after a `disconnect` fault (a pulled cable). */
export const SERIAL_DROP_SILENCE_MS = 1500;

export interface SimulatedTerminalOptions {
  stateDir: string;
  /** Default tcp; usb needs `usbBus`. */
  transport?: 'tcp' | 'pty' | 'usb';
  /** The simulated USB bus a `usb` terminal plugs into (share it with the console's discovery and openLink). */
  usbBus?: SimulatedUsbBus;
  /** Initial firmware (slot a) of a new terminal; ignored when stateDir holds one. */
  model?: string;
  hwRevision?: string;
  serial?: string;
  version?: string;
  /** Bytes per slot, default 8 MiB. */
  slotSize?: number;
  faults?: Fault[];
  /** One boot attempt, default 1500 ms. */
  bootMs?: number;
  /** Boot tries of a pending slot, default 3. */
  maxTries?: number;
  /** Pace the link like a UART (bytes per second each way). */
  linkBytesPerSecond?: number;
  /** TCP port, default any free one. */
  port?: number;
  /** Protocol version the agent speaks, default 2; 1 is an old terminal. */
  agentVersion?: 1 | 2;
  /** One slot only: writes go over the running image (a console backs it up first). */
  singleSlot?: boolean;
  /** Firmware in slot a of a new terminal; model, hardware and version come from its header. */
  initialImage?: Uint8Array;
  /** Applies on-device deltas (protocol v2); without it the terminal answers them as unsupported. */
  deltaApplier?: DeltaApplier;
}

export interface RunningTerminal {
  /** `tcp://127.0.0.1:PORT`, the console end of the PTY pair (DIR/ttyZTE0), or `usb:19d2:1405:SERIAL`. */
  readonly address: string;
  readonly serial: string;
  /**
   * For tests and the CLI: the terminal's persistent state right now.
   * `activeSlot` is the slot that booted (what IDENTIFY reports as active).
   */
  inspect(): {
    activeSlot: 'a' | 'b';
    slots: Record<'a' | 'b', { version: string; state: 'good' | 'pending' | 'unbootable' | 'empty'; triesLeft: number }>;
    payloadBytesReceived: number;
    log: string[];
  };
  /** Reads a slot's stored bytes (tests check nothing else changed). */
  readSlot(slot: 'a' | 'b'): Promise<Uint8Array>;
  close(): Promise<void>;
}

function checkOptions(o: SimulatedTerminalOptions): void {
  const bad = (why: string): never => {
    throw new ZucError(E.BAD_ARGUMENTS, `simulated terminal: ${why}`);
  };
  if (!o.stateDir) bad('a state folder is required');
  if (o.slotSize !== undefined && (!Number.isSafeInteger(o.slotSize) || o.slotSize <= FIRMWARE_HEADER_SIZE || o.slotSize > 0xffffffff)) bad(`slot size ${o.slotSize}`);
  if (o.bootMs !== undefined && !(Number.isFinite(o.bootMs) && o.bootMs >= 0)) bad(`boot time ${o.bootMs} ms`);
  if (o.maxTries !== undefined && !(Number.isInteger(o.maxTries) && o.maxTries >= 1 && o.maxTries <= 15)) bad(`tries ${o.maxTries}, expected 1..15`);
  if (o.linkBytesPerSecond !== undefined && !(o.linkBytesPerSecond > 0)) bad(`link speed ${o.linkBytesPerSecond} bytes/s`);
  if (o.agentVersion !== undefined && o.agentVersion !== 1 && o.agentVersion !== 2) bad(`agent version ${String(o.agentVersion)}, expected 1 or 2`);
  if (o.agentVersion === 1 && (o.singleSlot || o.deltaApplier)) bad('a version 1 agent has neither single-slot nor delta support');
  if (o.deltaApplier !== undefined && typeof o.deltaApplier !== 'function') bad('the delta applier is not a function');
  if (o.transport === 'usb' && !o.usbBus) bad('a USB terminal needs a simulated USB bus to plug into');
}

class SimulatedTerminal implements RunningTerminal {
  private readonly stopping = new AbortController();
  private tcp: TcpEndpoint | undefined;
  private pty: PtyEndpoint | undefined;
  private usb: UsbEndpoint | undefined;
  private readonly connections = new Set<DeviceConnection>();
  private booting: Promise<void> = Promise.resolve();
  private silenceTimer: NodeJS.Timeout | undefined;
  readonly device: AgentDevice;

  constructor(
    private readonly store: TerminalStore,
    private readonly options: SimulatedTerminalOptions,
  ) {
    const faults = options.faults ?? [];
    this.device = new AgentDevice(store, {
      agentVersion: options.agentVersion ?? 2,
      singleSlot: options.singleSlot ?? false,
      deltaApplier: options.deltaApplier,
      maxChunkBytes: DEFAULT_MAX_CHUNK_BYTES,
      maxWindow: DEFAULT_MAX_WINDOW_CHUNKS,
      maxTries: options.maxTries ?? DEFAULT_MAX_TRIES,
      faults,
      linkBytesPerSecond: options.linkBytesPerSecond,
      onReboot: () => {
        this.booting = this.boot();
      },
    });
    if (faults.length) store.log(`simulator: faults ${faults.map(describeFault).join(', ')}`);
  }

  get address(): string {
    return this.pty?.address ?? this.usb?.address ?? this.tcp!.address;
  }

  get serial(): string {
    return this.store.record.serial;
  }

  async powerOn(): Promise<void> {
    if (this.options.transport === 'pty') {
      this.pty = await PtyEndpoint.start(this.store.dir);
      this.connections.add(this.device.attach(this.pty.link, () => this.cutSerialLine()));
    } else if (this.options.transport === 'usb') {
      this.usb = new UsbEndpoint(this.options.usbBus!, this.store.record.serial, (link, drop) => {
        const connection = this.device.attach(link, drop);
        this.connections.add(connection);
        link.onClose(() => this.connections.delete(connection));
      });
    } else {
      this.tcp = new TcpEndpoint(this.options.port ?? 0, (link, drop) => {
        const connection = this.device.attach(link, drop);
        this.connections.add(connection);
        link.onClose(() => this.connections.delete(connection));
      });
    }
    this.store.log('power on');
    await this.boot();
  }

  /** The terminal goes away, its bootloader picks a slot, the agent comes back. */
  private async boot(): Promise<void> {
    this.device.online = false;
    await this.tcp?.offline();
    await this.usb?.offline();
    for (const c of this.connections) c.resetInput();
    await this.device.reset();
    const bootMs = this.options.bootMs ?? DEFAULT_BOOT_MS;
    const signal = this.stopping.signal;
    let slot: SlotName | undefined;
    try {
      slot = await runBootloader(this.store, {
        pendingSlotsFail: (this.options.faults ?? []).some((f) => f.kind === 'boot-fail'),
        attemptDelay: () => delay(bootMs, signal),
      });
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    if (signal.aborted) return;
    if (slot === undefined) {
      // A single-slot terminal has nothing to fall back to: its bootloader starts the agent in recovery.
      if (!this.options.singleSlot) return;
      this.store.record.runningSlot = 'a';
      this.store.record.bootSlot = 'a';
      this.store.log('boot: recovery agent started (single slot, no bootable image)');
      await this.store.save();
      await this.tcp?.online();
      await this.usb?.online();
      await this.pty?.banner('ZTE bootloader: recovery');
      this.device.online = true;
      return;
    }
    await this.tcp?.online();
    await this.usb?.online();
    await this.pty?.banner(`ZTE bootloader: booted slot ${slot} (${this.store.record.slots[slot].version})`);
    this.device.online = true;
  }

  /** `disconnect` fault on a serial line: the terminal goes deaf for a while. */
  private cutSerialLine(): void {
    this.device.online = false;
    for (const c of this.connections) c.resetInput();
    this.silenceTimer = setTimeout(() => {
      this.device.online = true;
    }, SERIAL_DROP_SILENCE_MS);
  }

  inspect(): ReturnType<RunningTerminal['inspect']> {
    const { runningSlot, slots } = this.store.record;
    return {
      activeSlot: runningSlot,
      slots: { a: { ...slots.a }, b: { ...slots.b } },
      payloadBytesReceived: this.device.payloadBytesReceived,
      log: [...this.store.record.log],
    };
  }

  readSlot(slot: 'a' | 'b'): Promise<Uint8Array> {
    return this.store.readSlot(slot);
  }

  async close(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort();
    clearTimeout(this.silenceTimer);
    this.device.online = false;
    await this.booting.catch(() => undefined);
    await this.tcp?.offline();
    await this.usb?.offline();
    for (const c of this.connections) c.end();
    await this.device.settled();
    await this.device.reset();
    await this.pty?.close();
    this.store.log('power off');
    await this.store.save();
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

function imageHeader(image: Uint8Array): ReturnType<typeof parseFirmwareHeader> {
  try {
    return parseFirmwareHeader(image);
  } catch (err) {
    throw new ZucError(E.BAD_ARGUMENTS, `simulated terminal: the initial image has no valid firmware header: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Starts a simulated ZTE terminal whose state lives in `stateDir`; an existing
 * terminal there is resumed (same serial, slots, versions). Resolves once it
 * booted and its agent answers at `address`.
 */
export async function startSimulatedTerminal(options: SimulatedTerminalOptions): Promise<RunningTerminal> {
  checkOptions(options);
  const header = options.initialImage ? imageHeader(options.initialImage) : undefined;
  const model = header?.model ?? options.model ?? 'MF286D';
  const hwRevision = header?.hwRevision ?? options.hwRevision ?? 'V1.0';
  const version = header?.version ?? options.version ?? 'B01';
  const slotSize = options.slotSize ?? DEFAULT_SLOT_SIZE_BYTES;
  if (options.initialImage && options.initialImage.length > slotSize) {
    throw new ZucError(E.BAD_ARGUMENTS, `simulated terminal: the ${options.initialImage.length}-byte image does not fit a ${slotSize}-byte slot`);
  }
  const store = await TerminalStore.open(options.stateDir, {
    serial: options.serial,
    model,
    hwRevision,
    slotSize,
    initialVersion: version,
    initialImage: options.initialImage ?? buildTestFirmware({ model, hwRevision, version, payloadBytes: Math.min(DEFAULT_TEST_PAYLOAD_BYTES, slotSize - FIRMWARE_HEADER_SIZE) }),
    maxTries: options.maxTries ?? DEFAULT_MAX_TRIES,
  });
  const terminal = new SimulatedTerminal(store, options);
  try {
    await terminal.powerOn();
  } catch (err) {
    await terminal.close().catch(() => undefined);
    throw err;
  }
  return terminal;
}
