import { E, ZucError } from '../../../shared/errors';
import { englishEntry, type LogEntry } from '../../../shared/job-log';
import type { Clock } from '../../clock';
import type { PackageCache } from '../../download';
import type { Outbox } from '../../report';
import { DdiClient, type DdiServer } from './ddi-client';
import { HAWKBIT_FEEDBACK, hawkbitFeedbackSender } from './feedback-sender';
import { HawkbitPoller, type InstallArtifacts } from './hawkbit-poller';

export interface HawkbitGatewayOptions {
  /** The hawkBit server; normally with a GatewayToken, so that one token serves every terminal. */
  server: DdiServer;
  /** Where feedback waits for delivery; the gateway registers the hawkBit sender on it. */
  outbox: Outbox;
  cache: PackageCache;
  clock?: Clock;
  log?: (line: string) => void;
}

export interface GatewayTerminal {
  /** The terminal's serial number: its controller id on the server. */
  serial: string;
  install: InstallArtifacts;
  attributes?: () => Record<string, string> | Promise<Record<string, string>>;
}

/**
 * The console as hawkBit gateway for terminals without network of their
 * own: one controller per attached terminal, polled on its own schedule,
 * all sharing one client, one package cache and one outbox. A terminal's
 * failure (its poll, its install) never stops the others.
 */
export class HawkbitGateway {
  readonly client: DdiClient;
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(private readonly options: HawkbitGatewayOptions) {
    this.client = new DdiClient(options.server);
    options.outbox.register(HAWKBIT_FEEDBACK, hawkbitFeedbackSender(this.client));
  }

  /** Starts polling for a terminal; a terminal already polled is refused (one poller per controller). */
  addTerminal(terminal: GatewayTerminal): void {
    this.client.controllerUrl(terminal.serial);
    if (this.running.has(terminal.serial)) throw new ZucError(E.TERMINAL_BUSY, `the console already polls hawkBit for ${terminal.serial}`);
    // The engine log: no console shows it, so it gets the English words.
    const log = this.options.log;
    const poller = new HawkbitPoller({
      client: this.client,
      outbox: this.options.outbox,
      controllerId: terminal.serial,
      install: terminal.install,
      cache: this.options.cache,
      ...(terminal.attributes ? { attributes: terminal.attributes } : {}),
      ...(this.options.clock ? { clock: this.options.clock } : {}),
      ...(log ? { log: (entry: LogEntry) => log(englishEntry(entry)) } : {}),
    });
    const controller = new AbortController();
    const done = poller.run(controller.signal).catch((err: unknown) => {
      this.options.log?.(`hawkbit ${terminal.serial}: polling stopped: ${ZucError.from(err).message}`);
    });
    this.running.set(terminal.serial, { controller, done });
  }

  /** Stops polling for a terminal (unplugged); a poll or install under way gets the abort signal and is awaited. */
  async removeTerminal(serial: string): Promise<void> {
    const entry = this.running.get(serial);
    if (!entry) return;
    this.running.delete(serial);
    entry.controller.abort();
    await entry.done;
  }

  terminals(): string[] {
    return [...this.running.keys()];
  }

  /** Stops every poller. The outbox is the caller's: it may carry other reports. */
  async stop(): Promise<void> {
    await Promise.all(this.terminals().map((serial) => this.removeTerminal(serial)));
  }
}
