import { z } from 'zod';
import { TerminalInfoSchema, type SlotName } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import { logError, logText, type LogEntry } from '../../shared/job-log';
import type { ApplyDeltaOptions, ReadOptions, TerminalConnector, TerminalDriver, TerminalIdentity, WriteOptions } from '../../../native/terminal/terminal-driver';
import type { Clock } from '../clock';
import type { EngineTimeouts } from '../timeouts';
import { withTimeout } from './with-timeout';

/** What agent protocol 2 terminals add to their identity; kept so the pipeline can use it (on-device delta). */
const CapabilitiesSchema = z.object({ resume: z.boolean(), delta: z.boolean(), readSlot: z.boolean(), slots: z.union([z.literal(1), z.literal(2)]) });
const IdentitySchema = TerminalInfoSchema.omit({ address: true, transport: true }).extend({ capabilities: CapabilitiesSchema.optional() });

export type SessionLog = (level: 'debug' | 'info' | 'warn', entry: LogEntry) => void;

/**
 * One terminal as a job sees it: a driver that may come and go (reboots,
 * cable pulls) behind one object, with every command bounded by a timeout.
 */
export class TerminalSession {
  private driver: TerminalDriver | null = null;
  /** Bumped by every connect, so an attempt that was given up on cannot replace a newer link. */
  private generation = 0;

  constructor(
    readonly address: string,
    private readonly connector: TerminalConnector,
    private readonly timeouts: EngineTimeouts,
    private readonly clock: Clock,
    private readonly log: SessionLog,
  ) {}

  get connected(): boolean {
    return this.driver !== null;
  }

  /** One attempt: opens a link and identifies the terminal. A failed attempt leaves no link open. */
  async connect(): Promise<TerminalIdentity> {
    const generation = ++this.generation;
    await this.disconnect();
    const opening = this.connector(this.address);
    let driver: TerminalDriver;
    try {
      driver = await withTimeout(opening, this.timeouts.connectMs, E.TERMINAL_UNREACHABLE, this.address);
    } catch (err) {
      // A connection that completes after we gave up must not stay open.
      void opening.then((late) => late.close()).catch(() => undefined);
      throw err;
    }
    if (generation !== this.generation) {
      await driver.close().catch(() => undefined);
      throw new ZucError(E.LINK_LOST, `${this.address}: a newer connection replaced this one`);
    }
    this.driver = driver;
    try {
      return await this.identify();
    } catch (err) {
      if (this.driver === driver) await this.disconnect();
      throw err;
    }
  }

  /**
   * Connects again and again until the terminal answers or `signal` aborts
   * (the caller's boot deadline). Used after a reboot, when the terminal is
   * silent for its boot time and refuses connections meanwhile.
   */
  async awaitBoot(signal: AbortSignal): Promise<TerminalIdentity> {
    let attempts = 0;
    let lastError: ZucError | null = null;
    while (!signal.aborted) {
      attempts++;
      try {
        const identity = await this.connect();
        // The deadline passed while this attempt ran: whoever gave up on us owns the terminal now.
        if (signal.aborted) break;
        this.log('info', logText('terminal-answered', { attempts }));
        return identity;
      } catch (err) {
        lastError = ZucError.from(err);
        await this.clock.sleep(this.timeouts.reconnectIntervalMs, signal);
      }
    }
    throw new ZucError(E.NO_BOOT, `${attempts} connection attempts${lastError ? `, last: ${lastError.code} ${lastError.detail || lastError.entry.title}` : ''}`);
  }

  /**
   * The terminal's identity, checked against the contract's schema here at
   * the edge: whatever a terminal says is shown on every screen and stored.
   */
  async identify(): Promise<TerminalIdentity> {
    const identity = await this.command('identify', (d) => d.identify());
    const check = IdentitySchema.safeParse(identity);
    if (!check.success) {
      throw new ZucError(E.FRAME_MALFORMED, `identity from ${this.address}: ${check.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return check.data;
  }

  /**
   * Writes the slot, failing with LINK_TIMEOUT when no byte is acknowledged
   * for `writeStallMs`. With `resume`, a terminal that supports it continues
   * an interrupted write of the same image from its acknowledged offset.
   */
  writeSlot(slot: SlotName, image: Uint8Array, options: WriteOptions): Promise<void> {
    return this.transfer(`writing slot ${slot}`, options, (driver, signal, onProgress) => driver.writeSlot(slot, image, { signal, onProgress, resume: options.resume, imageSha256: options.imageSha256 }));
  }

  /**
   * Streams a delta patch that the terminal applies itself into `slot`
   * (agent protocol 2), with the same stall watchdog as a write.
   */
  applyDelta(slot: SlotName, patch: Uint8Array, options: ApplyDeltaOptions): Promise<void> {
    return this.transfer(`applying a delta to slot ${slot}`, options, (driver, signal, onProgress) => {
      if (!driver.applyDelta) throw new ZucError(E.AGENT_UNSUPPORTED, `${this.address} cannot apply deltas`);
      return driver.applyDelta(slot, patch, { source: options.source, target: options.target, signal, onProgress });
    });
  }

  /**
   * Reads the first `length` bytes of `slot` (agent protocol 2, a backup
   * before overwriting a single-slot terminal), with the write's stall watchdog.
   */
  readSlot(slot: SlotName, length: number, options: ReadOptions = {}): Promise<Uint8Array> {
    return this.transfer(`reading slot ${slot}`, options, (driver, signal, onProgress) => {
      if (!driver.readSlot) throw new ZucError(E.AGENT_UNSUPPORTED, `${this.address} cannot read slots back`);
      return driver.readSlot(slot, length, { signal, onProgress });
    });
  }

  private async transfer<T>(what: string, options: { signal?: AbortSignal; onProgress?(done: number): void }, run: (driver: TerminalDriver, signal: AbortSignal, onProgress: (done: number) => void) => Promise<T>): Promise<T> {
    const driver = this.current();
    const stall = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stall.signal]) : stall.signal;
    let stalled: ((err: ZucError) => void) | undefined;
    const watchdog = new Promise<never>((_, reject) => (stalled = reject));
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stall.abort();
        stalled?.(new ZucError(E.LINK_TIMEOUT, `no bytes acknowledged for ${this.timeouts.writeStallMs} ms while ${what}`));
      }, this.timeouts.writeStallMs);
    };
    arm();
    try {
      return await Promise.race([
        run(driver, signal, (done) => {
          arm();
          options.onProgress?.(done);
        }),
        watchdog,
      ]);
    } catch (err) {
      await this.disconnect();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  hashSlot(slot: SlotName, length: number): Promise<Uint8Array> {
    return this.command(`hash slot ${slot}`, (d) => d.hashSlot(slot, length), this.timeouts.hashMs);
  }

  setActive(slot: SlotName): Promise<void> {
    return this.command(`set slot ${slot} active`, (d) => d.setActive(slot));
  }

  /** Asks for a reboot and lets go of the link: the terminal drops it while booting. */
  async reboot(): Promise<void> {
    await this.command('reboot', (d) => d.reboot());
    await this.disconnect();
  }

  confirm(): Promise<void> {
    return this.command('confirm', (d) => d.confirm());
  }

  readLog(): Promise<string[]> {
    return this.command('read log', (d) => d.readLog());
  }

  async disconnect(): Promise<void> {
    const driver = this.driver;
    this.driver = null;
    if (!driver) return;
    try {
      await withTimeout(driver.close(), this.timeouts.commandMs, E.LINK_TIMEOUT, 'closing the link');
    } catch (err) {
      // Closing a link that already broke is expected after cable pulls and reboots.
      this.log('debug', logText('link-closing', { error: logError(ZucError.from(err)) }));
    }
  }

  private async command<T>(what: string, run: (driver: TerminalDriver) => Promise<T>, ms = this.timeouts.commandMs): Promise<T> {
    const driver = this.current();
    try {
      return await withTimeout(run(driver), ms, E.LINK_TIMEOUT, what);
    } catch (err) {
      const error = ZucError.from(err);
      // After a timeout or a lost link the protocol state is unknown; start over on the next connect.
      if (error.code === E.LINK_TIMEOUT.code || error.code === E.LINK_LOST.code) await this.disconnect();
      throw error;
    }
  }

  private current(): TerminalDriver {
    if (!this.driver) throw new ZucError(E.LINK_LOST, `not connected to ${this.address}`);
    return this.driver;
  }
}
