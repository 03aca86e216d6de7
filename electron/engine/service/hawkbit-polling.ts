import type { DeviceView, StoredSettings } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import { systemClock, type Clock } from '../clock';
import type { PackageCache } from '../download';
import { Outbox } from '../report';
import type { SettingsStore } from '../settings';
import { flashInstaller, HAWKBIT_FEEDBACK, hawkbitFeedbackRouter, HawkbitGateway, type DdiClient, type DdiServer, type InstallArtifacts } from '../sources/hawkbit';
import type { Db } from '../store';
import { hawkbitServer } from '../update';
import type { Engine } from './engine';
import { terminalsToPoll } from './polled-terminals';
import { quietRepeats } from './quiet-log';

export interface HawkbitPollingDeps {
  engine: Engine;
  settings: Pick<SettingsStore, 'current' | 'onChanged'>;
  /** The device registry's terminals, as they are now. */
  devices(): DeviceView[];
  /** A terminal running a job here or waiting for its update here takes no deployment now. */
  busy(address: string): boolean;
  /** The engine's database: feedback waits in its outbox table. */
  db: Db;
  cache: PackageCache;
  /** Every configured hawkBit server's client, polled or not: feedback for any of them is delivered. */
  feedbackClients(): readonly DdiClient[];
  clock?: Clock;
  log(line: string): void;
}

export interface HawkbitPolling {
  /** Polled terminal serials per server name (diagnostics and tests). */
  polled(): Record<string, string[]>;
  /** Aborts every poll; resolves once pollers and feedback delivery have stopped (an install waits for its job). */
  stop(): Promise<void>;
}

interface Polled {
  name: string;
  gateway: HawkbitGateway;
  /** Serial → the address its installs go to. */
  terminals: Map<string, string>;
}

/**
 * Background polling of the hawkBit servers whose `poll` setting is on: one
 * gateway per server, one poller per identified terminal (controller id =
 * its serial). Follows the settings and the device registry as they change.
 * An assigned deployment is installed as an ordinary flash job; polling
 * problems go to the engine log, each distinct line at most once an hour.
 */
export function startHawkbitPolling(deps: HawkbitPollingDeps): HawkbitPolling {
  const clock = deps.clock ?? systemClock;
  const quiet = quietRepeats(deps.log, clock);
  const outbox = new Outbox(deps.db, { clock, onError: (error) => quiet(`hawkBit feedback: ${error.code} ${error.message}`) });
  const router = hawkbitFeedbackRouter(deps.feedbackClients);
  const servers = new Map<string, Polled>();
  /** Pollers and gateways being stopped: a serial is polled again only once its last poller ended. */
  const leaving = new Map<string, Promise<void>>();
  let stopped = false;

  function sync(): void {
    if (stopped) return;
    const wanted = polledServers(deps.settings.current(), quiet);
    for (const [key, polled] of servers) {
      if (wanted.has(key)) continue;
      servers.delete(key);
      track(`${key}\n*`, polled.gateway.stop());
      deps.log(`${polled.name}: background polling stopped`);
    }
    for (const [key, { name, server }] of wanted) {
      if (servers.has(key) || leaving.has(`${key}\n*`)) continue;
      try {
        const gateway = new HawkbitGateway({ server, outbox, cache: deps.cache, clock, log: (line) => quiet(`${name}: ${line}`) });
        servers.set(key, { name, gateway, terminals: new Map() });
        deps.log(`${name}: background polling started`);
      } catch (err) {
        const error = ZucError.from(err);
        quiet(`${name}: background polling cannot start: ${error.code} ${error.message}`);
      }
    }
    if (servers.size > 0) {
      // After the gateways: each registered a sender for its own server only.
      outbox.register(HAWKBIT_FEEDBACK, router);
      outbox.start();
    }
    for (const [key, polled] of servers) syncTerminals(key, polled);
  }

  function syncTerminals(key: string, polled: Polled): void {
    const wanted = terminalsToPoll(deps.devices(), polled.terminals);
    for (const [serial, address] of polled.terminals) {
      if (wanted.get(serial) === address) continue;
      polled.terminals.delete(serial);
      track(`${key}\n${serial}`, polled.gateway.removeTerminal(serial));
    }
    for (const [serial, address] of wanted) {
      if (polled.terminals.has(serial) || leaving.has(`${key}\n${serial}`)) continue;
      try {
        polled.gateway.addTerminal({ serial, install: installOn(serial, address), attributes: () => attributesOf(serial) });
        polled.terminals.set(serial, address);
      } catch (err) {
        const error = ZucError.from(err);
        quiet(`${polled.name}: ${serial} is not polled: ${error.code} ${error.message}`);
      }
    }
  }

  function track(key: string, done: Promise<void>): void {
    const settled = done.catch((err: unknown) => quiet(`hawkBit polling: ${ZucError.from(err).message}`));
    leaving.set(key, settled);
    void settled.then(() => {
      if (leaving.get(key) === settled) leaving.delete(key);
      // What was waiting for this poller to end (the terminal back at a new address) starts now.
      sync();
    });
  }

  /** Flashes the deployment onto the terminal, but only when it is there, is still that terminal, and is free. */
  function installOn(serial: string, address: string): InstallArtifacts {
    const flash = flashInstaller(deps.engine, address);
    return (request) => {
      const view = deps.devices().find((v) => v.address === address);
      if (!view || view.state.kind === 'offline' || view.info?.serial !== serial) {
        return Promise.reject(new ZucError(E.TERMINAL_UNREACHABLE, `${serial} is not connected at ${address}; the deployment waits for it`));
      }
      if (view.state.kind !== 'ready' || deps.busy(address)) {
        return Promise.reject(new ZucError(E.TERMINAL_BUSY, `${serial} at ${address} is busy; the deployment waits until it is free`));
      }
      return flash(request);
    };
  }

  /** What the server may use to pick targets for a rollout. */
  function attributesOf(serial: string): Record<string, string> {
    const info = deps.devices().find((v) => v.info?.serial === serial)?.info;
    return info ? { model: info.model, hwRevision: info.hwRevision, firmwareVersion: info.firmwareVersion } : {};
  }

  const subscriptions = [deps.settings.onChanged(sync), deps.engine.onDeviceChanged(sync), deps.engine.onDeviceRemoved(sync)];
  sync();

  return {
    polled() {
      return Object.fromEntries([...servers.values()].map((p) => [p.name, [...p.terminals.keys()]]));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const s of subscriptions) s.dispose();
      const gateways = [...servers.values()].map((p) => p.gateway.stop());
      servers.clear();
      // Delivery stops first: it uses the database, which closes after this; what pollers still queue waits in it.
      await outbox.stop();
      await Promise.all([...gateways, ...leaving.values()]);
    },
  };
}

/** The servers to poll, keyed by everything that signs in to them: a new token restarts that server's polling. */
function polledServers(settings: StoredSettings, log: (line: string) => void): Map<string, { name: string; server: DdiServer }> {
  const wanted = new Map<string, { name: string; server: DdiServer }>();
  for (const source of settings.sources) {
    if (source.kind !== 'hawkbit' || !source.poll) continue;
    const name = `hawkbit:${source.url.replace(/\/+$/, '')}/${source.tenant}`;
    const server = hawkbitServer(source);
    if (!server) {
      log(`${name}: background polling needs a token; save one in Settings`);
      continue;
    }
    wanted.set(JSON.stringify([source.url, source.tenant, source.tokenKind, source.token]), { name, server });
  }
  return wanted;
}
