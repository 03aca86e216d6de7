import type { DeviceView, TerminalInfo } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import type { TerminalConnector, TerminalIdentity } from '../../../native/terminal/terminal-driver';
import type { Clock } from '../clock';
import { TerminalSession } from '../pipeline/terminal-session';
import type { DeviceStore } from '../store';
import type { EngineTimeouts } from '../timeouts';
import { transportKindOf } from './transport-kind';

/**
 * The terminals the console works with, and the state of each. Identifying
 * opens a short session; a terminal that runs a job is left alone.
 */
export class DeviceRegistry {
  private readonly devices = new Map<string, DeviceView>();
  /** Terminals running a job of this engine; the others may be busy with another console's job. */
  private readonly runningHere = new Set<string>();

  constructor(
    private readonly connector: TerminalConnector,
    private readonly timeouts: EngineTimeouts,
    private readonly clock: Clock,
    private readonly store: DeviceStore,
    private readonly changed: (view: DeviceView) => void,
    private readonly removed: (address: string) => void,
    /** The id of a job another console runs on this terminal, if any: identifying then would cut its link. */
    private readonly busyElsewhere: (address: string) => string | null,
  ) {}

  list(): DeviceView[] {
    return [...this.devices.values()];
  }

  get(address: string): DeviceView | undefined {
    return this.devices.get(address);
  }

  /** Known or not, identifies the terminal at `address`. An address that cannot be a terminal is refused; a silent one is kept offline. */
  async identify(address: string): Promise<DeviceView> {
    const known = this.devices.get(address);
    if (known && this.runningHere.has(address)) return known;
    const elsewhere = this.busyElsewhere(address);
    if (elsewhere) {
      const view: DeviceView = { address, info: known?.info ?? null, state: { kind: 'busy', jobId: elsewhere } };
      this.set(view);
      return view;
    }
    this.set({ address, info: known?.info ?? null, state: { kind: 'connecting' } });
    const session = new TerminalSession(address, this.connector, this.timeouts, this.clock, () => undefined);
    try {
      const identity = await session.connect();
      return this.identified(address, identity);
    } catch (err) {
      const error = ZucError.from(err);
      if (error.code === E.BAD_ADDRESS.code && !known) {
        this.devices.delete(address);
        throw error;
      }
      return this.offline(address, error);
    } finally {
      await session.disconnect();
    }
  }

  remove(address: string): void {
    const view = this.require(address);
    if (this.runningHere.has(address)) throw new ZucError(E.TERMINAL_BUSY, `${address} runs job ${view.state.kind === 'busy' ? view.state.jobId : ''}`);
    this.devices.delete(address);
    this.store.remove(address);
    this.removed(address);
  }

  require(address: string): DeviceView {
    const view = this.devices.get(address);
    if (!view) throw new ZucError(E.UNKNOWN_TERMINAL, address);
    return view;
  }

  busy(address: string, jobId: string): void {
    this.runningHere.add(address);
    this.set({ ...this.require(address), state: { kind: 'busy', jobId } });
  }

  identified(address: string, identity: TerminalIdentity): DeviceView {
    this.runningHere.delete(address);
    this.forgetOtherAddresses(identity.serial, address);
    const info: TerminalInfo = { ...identity, address, transport: transportKindOf(address) };
    const view: DeviceView = { address, info, state: { kind: 'ready' } };
    this.set(view);
    this.store.save({ address, info, lastSeen: new Date(this.clock.now()).toISOString() });
    return view;
  }

  offline(address: string, error: ZucError): DeviceView {
    this.runningHere.delete(address);
    const view: DeviceView = { address, info: this.devices.get(address)?.info ?? null, state: { kind: 'offline', error: error.toJSON() } };
    this.set(view);
    this.store.save({ address, info: null, lastSeen: new Date(this.clock.now()).toISOString() });
    return view;
  }

  /**
   * One entry per terminal: unplugged and plugged back at another port, a
   * terminal is recognised by its serial number and the old address goes.
   * An address still running a job of this engine stays until the job ends.
   */
  private forgetOtherAddresses(serial: string, address: string): void {
    if (!serial) return;
    for (const [other, view] of this.devices) {
      if (other === address || view.info?.serial !== serial || this.runningHere.has(other)) continue;
      this.devices.delete(other);
      this.store.remove(other);
      this.removed(other);
    }
  }

  private set(view: DeviceView): void {
    this.devices.set(view.address, view);
    this.changed(view);
  }
}
