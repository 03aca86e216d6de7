import { E, ZucError } from '../../shared/errors';
import { systemClock, type Clock } from '../clock';
import type { Db } from '../store';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff';
import { OutboxStore, type NewReport, type OutboxEntry } from './outbox-store';

/**
 * Delivers one kind of report. Resolves only when the backend took it (2xx,
 * or an answer that means it needs it no longer); throws a ZucError
 * otherwise. The entry's key must travel with the request so that the
 * backend can recognise a repeat.
 */
export interface ReportSender {
  deliver(entry: OutboxEntry, signal: AbortSignal): Promise<void>;
}

export interface OutboxOptions {
  clock?: Clock;
  backoff?: BackoffPolicy;
  /** How long one console holds a report it is sending before another may take it over. */
  leaseMs?: number;
  /** Every failed attempt (with its report), and the error that stopped background delivery (without): for the engine log. */
  onError?: (error: ZucError, entry: OutboxEntry | null) => void;
}

/**
 * Longer than a sender's request normally takes, so another living console does
 * not send the same report meanwhile (if it did, the key still lets the backend drop it).
 */
export const OUTBOX_LEASE_MS = 60_000;
/** Even with nothing due, look at the table now and then: another console may have queued reports. */
export const OUTBOX_IDLE_CHECK_MS = 30_000;
const CLAIM_BATCH = 32;
/**
 * How long `stop()` lets a report already on its way finish before cutting it
 * off: a send cut off after the backend took it is sent again (same key) by
 * the next console, which a backend ignoring the key would count twice.
 */
export const OUTBOX_STOP_GRACE_MS = 2_000;
/** Delivered reports stay this long for support questions ("did the server get it?"). */
export const OUTBOX_KEEP_DELIVERED_MS = 30 * 24 * 3600_000;

/** Failures that more attempts cannot fix: the backend understood the report and refused it. */
const NEVER_ACCEPTED = new Set<string>([E.BACKEND_REJECTED.code]);

/**
 * The durable report outbox. A report is written to SQLite before anything
 * is sent, delivered with retries and growing pauses, and marked delivered
 * only after the backend took it; a report left by a console that stopped
 * or crashed is delivered by the next one that opens the database.
 */
export class Outbox {
  readonly store: OutboxStore;
  private readonly clock: Clock;
  private readonly backoff: BackoffPolicy;
  private readonly leaseMs: number;
  private readonly senders = new Map<string, ReportSender>();
  private loop: Promise<void> | null = null;
  private stopping = new AbortController();
  /** Set by stop(): no new report is claimed, the one being sent may finish. */
  private draining = false;
  private inFlight: Promise<boolean> | null = null;
  private wake = new AbortController();

  constructor(
    db: Db,
    private readonly options: OutboxOptions = {},
  ) {
    this.store = new OutboxStore(db);
    this.clock = options.clock ?? systemClock;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.leaseMs = options.leaseMs ?? OUTBOX_LEASE_MS;
  }

  /** Registers who delivers reports of `kind`; reports of a kind nobody sends wait. */
  register(kind: string, sender: ReportSender): void {
    this.senders.set(kind, sender);
    this.wake.abort();
  }

  /** Queues a report durably; false when it (or its stream's end) is already queued. */
  enqueue(report: NewReport): boolean {
    const now = this.clock.now();
    const added = this.store.add(report, now, new Date(now).toISOString());
    if (added) this.wake.abort();
    return added;
  }

  /**
   * One delivery round: sends every due report, a stream's next report right
   * after the one before it went through. Returns how many were delivered.
   */
  async deliverDue(): Promise<number> {
    let delivered = 0;
    const blocked = new Set<string>();
    for (;;) {
      // Checked before claiming: a claim holds the report, and a stopped console would hold it for nothing.
      if (this.stopping.signal.aborted || this.draining) return delivered;
      const due = this.store.claimDue(this.clock.now(), this.leaseMs, CLAIM_BATCH, [...this.senders.keys()], [...blocked]);
      if (due.length === 0) return delivered;
      for (const [i, entry] of due.entries()) {
        if (this.stopping.signal.aborted || this.draining) {
          for (const unsent of due.slice(i)) this.store.release(unsent.id);
          return delivered;
        }
        this.inFlight = this.attempt(entry);
        const ok = await this.inFlight.finally(() => (this.inFlight = null));
        if (ok) delivered++;
        else blocked.add(entry.stream);
      }
    }
  }

  private async attempt(entry: OutboxEntry): Promise<boolean> {
    const sender = this.senders.get(entry.kind)!;
    try {
      await sender.deliver(entry, this.stopping.signal);
    } catch (err) {
      if (this.stopping.signal.aborted) {
        // Stopped mid-send, not a failure of the backend: the next start sends it again at once.
        this.store.release(entry.id);
        return false;
      }
      const error = ZucError.from(err);
      this.options.onError?.(error, entry);
      const message = `${error.code} ${error.message}`;
      if (NEVER_ACCEPTED.has(error.code)) this.store.markRejected(entry.id, message, this.isoNow());
      else this.store.markFailed(entry.id, message, this.clock.now() + retryDelayMs(entry.attempts + 1, this.backoff));
      return false;
    }
    this.store.markDelivered(entry.id, this.isoNow());
    return true;
  }

  /**
   * Delivers in the background until `stop()`: at once, after each enqueue and
   * whenever a retry is due. Delivered reports older than OUTBOX_KEEP_DELIVERED_MS
   * are dropped first; the job history keeps what happened.
   */
  start(): void {
    if (this.loop) return;
    this.draining = false;
    this.store.pruneFinished(this.clock.now() - OUTBOX_KEEP_DELIVERED_MS);
    this.stopping = new AbortController();
    this.loop = this.run();
  }

  /**
   * Stops delivery: nothing new is claimed, a report being sent gets up to
   * `graceMs` to finish, then its request is aborted (it stays pending and is
   * sent again at the next start).
   */
  async stop(graceMs = OUTBOX_STOP_GRACE_MS): Promise<void> {
    this.draining = true;
    this.wake.abort();
    if (this.inFlight) {
      // Wall time, not the injected clock: this bounds a network request.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.inFlight.catch(() => false), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    this.stopping.abort();
    const loop = this.loop;
    this.loop = null;
    await loop;
    this.draining = false;
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      this.wake = new AbortController();
      try {
        await this.deliverDue();
      } catch (err) {
        // The database went away (closed, disk gone): what is unsent stays in it for the next console.
        if (this.stopping.signal.aborted) return;
        this.options.onError?.(ZucError.from(err), null);
        return;
      }
      if (this.stopping.signal.aborted) return;
      const due = this.store.nextDueMs([...this.senders.keys()]);
      const wait = due === null ? OUTBOX_IDLE_CHECK_MS : Math.min(OUTBOX_IDLE_CHECK_MS, Math.max(0, due - this.clock.now()));
      await this.clock.sleep(wait, this.wake.signal);
    }
  }

  private isoNow(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
