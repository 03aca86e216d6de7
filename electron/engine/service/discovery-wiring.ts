import { E, ZucError } from '../../shared/errors';
import { Discovery, type DiscoveryListener, type DiscoveryOptions } from '../../../native/discovery';
import type { SettingsStore } from '../settings';
import type { DeviceRegistry } from './device-registry';

/** Discovery as the engine uses it: what it finds is identified, what goes away is shown offline (and kept, to be recognised when it returns). */
export interface EngineDiscovery {
  /** Watches a serial path added by hand (a PTY never appears in the port list). */
  watchSerialPath(address: string): void;
  stop(): Promise<void>;
}

/** A port appears while its terminal still boots: identification is tried again this many times, this far apart. */
export const ATTACH_IDENTIFY_TRIES = 5;
export const ATTACH_RETRY_MS = 1000;

export function startDiscovery(options: DiscoveryOptions, registry: DeviceRegistry, settings: SettingsStore, log: (line: string) => void): EngineDiscovery {
  /** Links present now; identification retries stop when one goes. */
  const present = new Set<string>();
  let stopped = false;

  async function identifyAttached(address: string): Promise<void> {
    for (let attempt = 1; attempt <= ATTACH_IDENTIFY_TRIES; attempt++) {
      const known = registry.get(address);
      // Being identified (added by hand a moment ago) or in use: leave it alone.
      if (known && known.state.kind !== 'offline') return;
      if (attempt > 1) log(`${address}: no answer yet, trying again (${attempt} of ${ATTACH_IDENTIFY_TRIES})`);
      const view = await registry.identify(address);
      if (view.state.kind !== 'offline') return;
      await new Promise((resolve) => setTimeout(resolve, ATTACH_RETRY_MS).unref());
      if (stopped || !present.has(address)) return;
    }
  }

  const listener: DiscoveryListener = {
    attached(link) {
      present.add(link.address);
      identifyAttached(link.address).catch((err: unknown) => log(`${link.address}: ${ZucError.from(err).message}`));
    },
    detached(address) {
      present.delete(address);
      const known = registry.get(address);
      // A running job notices the loss itself and waits for the terminal to come back.
      if (!known || known.state.kind === 'busy' || known.state.kind === 'offline') return;
      registry.offline(address, new ZucError(E.TERMINAL_UNREACHABLE, `${address} was unplugged or went away`));
    },
    problem(error) {
      log(`${error.code} ${error.message}`);
    },
  };
  const current = settings.current();
  const discovery = new Discovery(listener, { baudRate: current.serial.baudRate, tcpTerminals: current.tcpTerminals, ...options });
  const subscription = settings.onChanged((view) => {
    discovery.setTcpTerminals(view.tcpTerminals);
    discovery.setSerialBaudRate(view.serial.baudRate);
  });
  discovery.start().catch((err: unknown) => log(`discovery: ${ZucError.from(err).message}`));
  return {
    watchSerialPath(address) {
      if (!address.startsWith('/')) return;
      discovery.addSerialPath(address).catch((err: unknown) => log(`discovery: ${ZucError.from(err).message}`));
    },
    async stop() {
      stopped = true;
      subscription.dispose();
      await discovery.stop();
    },
  };
}
