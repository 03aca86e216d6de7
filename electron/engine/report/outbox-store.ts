import type { Db } from '../store';
import { processAlive } from '../store/job-store';

/** A report as the outbox keeps it until the backend took it. */
export interface OutboxEntry {
  id: number;
  /** Idempotency key: sent with every attempt; the same report is never queued twice. */
  key: string;
  /** Which sender delivers it, e.g. `hawkbit-feedback`. */
  kind: string;
  /** Reports of one stream are delivered in the order they were queued. */
  stream: string;
  /** Where it goes (a URL without credentials). */
  target: string;
  payload: unknown;
  closesStream: boolean;
  status: 'pending' | 'delivered' | 'rejected';
  attempts: number;
  /**
   * An earlier attempt may have reached the backend without this console
   * learning it (it failed or got no answer, or the console sending it died):
   * a sender whose backend ignores the key can check before sending again.
   */
  uncertain: boolean;
  createdAt: string;
  lastError: string | null;
  finishedAt: string | null;
}

export interface NewReport {
  key: string;
  kind: string;
  stream: string;
  target: string;
  payload: unknown;
  /** The last report of its stream: once queued, later reports of the stream are dropped. */
  closesStream?: boolean;
}

interface OutboxRow {
  id: number;
  key: string;
  kind: string;
  stream: string;
  target: string;
  payload_json: string;
  closes_stream: number;
  status: OutboxEntry['status'];
  attempts: number;
  created_at: string;
  last_error: string | null;
  finished_at: string | null;
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    key: row.key,
    kind: row.kind,
    stream: row.stream,
    target: row.target,
    payload: JSON.parse(row.payload_json) as unknown,
    closesStream: row.closes_stream === 1,
    status: row.status,
    attempts: row.attempts,
    uncertain: row.attempts > 0,
    createdAt: row.created_at,
    lastError: row.last_error,
    finishedAt: row.finished_at,
  };
}

/** The `report_outbox` table. Every change is one statement or one transaction, so two consoles may share it. */
export class OutboxStore {
  constructor(private readonly db: Db) {}

  /**
   * Queues a report. Returns false, queuing nothing, when its key is already
   * known or its stream was already closed (a deployment run again after a
   * restart must not close the hawkBit action twice).
   */
  add(report: NewReport, nowMs: number, nowIso: string): boolean {
    return this.db.transaction(() => {
      const closed = this.db.prepare(`SELECT 1 FROM report_outbox WHERE stream = ? AND closes_stream = 1`).get(report.stream);
      if (closed) return false;
      const result = this.db
        .prepare(
          `INSERT OR IGNORE INTO report_outbox (key, kind, stream, target, payload_json, closes_stream, status, created_at, next_attempt_ms)
           VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
        )
        .run(report.key, report.kind, report.stream, report.target, JSON.stringify(report.payload), report.closesStream ? 1 : 0, nowIso, nowMs);
      return result.changes === 1;
    }).immediate();
  }

  /** Whether a report ending this stream was queued (delivered or not). */
  streamClosed(stream: string): boolean {
    return this.db.prepare(`SELECT 1 FROM report_outbox WHERE stream = ? AND closes_stream = 1`).get(stream) !== undefined;
  }

  /**
   * Takes the oldest pending report of each stream that is due and not held by
   * another console, holding it for `leaseMs` so that only this one sends it.
   * `skipStreams` are streams whose head already failed in this round.
   */
  claimDue(nowMs: number, leaseMs: number, limit: number, kinds: readonly string[], skipStreams: readonly string[] = [], isAlive: (pid: number) => boolean = processAlive): OutboxEntry[] {
    if (kinds.length === 0) return [];
    const skip = new Set(skipStreams);
    return this.db.transaction(() => {
      const rows = this.db
        .prepare(
          `SELECT o.* FROM report_outbox o
           WHERE o.status = 'pending'
             AND o.id = (SELECT MIN(id) FROM report_outbox WHERE stream = o.stream AND status = 'pending')
             AND o.next_attempt_ms <= ?
             AND o.kind IN (${kinds.map(() => '?').join(', ')})
           ORDER BY o.id`,
        )
        .all(nowMs, ...kinds) as (OutboxRow & { lease_until_ms: number | null; lease_pid: number | null })[];
      // A lease of a process that died is void: its successor need not wait it out.
      const free = rows
        .filter((r) => !skip.has(r.stream))
        .filter((r) => r.lease_until_ms === null || r.lease_until_ms <= nowMs || r.lease_pid === null || (r.lease_pid !== process.pid && !isAlive(r.lease_pid)))
        .slice(0, limit);
      const hold = this.db.prepare(`UPDATE report_outbox SET lease_until_ms = ?, lease_pid = ? WHERE id = ?`);
      for (const row of free) hold.run(nowMs + leaseMs, process.pid, row.id);
      // A lease still set means the attempt under it never ended: its console died or gave up mid-send.
      return free.map((row) => ({ ...toEntry(row), uncertain: row.attempts > 0 || row.lease_pid !== null }));
    }).immediate();
  }

  markDelivered(id: number, nowIso: string): void {
    this.db
      .prepare(`UPDATE report_outbox SET status = 'delivered', attempts = attempts + 1, finished_at = ?, lease_until_ms = NULL, lease_pid = NULL, last_error = NULL WHERE id = ?`)
      .run(nowIso, id);
  }

  /** A failed attempt: try again at `nextAttemptMs`. */
  markFailed(id: number, error: string, nextAttemptMs: number): void {
    this.db
      .prepare(`UPDATE report_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_ms = ?, lease_until_ms = NULL, lease_pid = NULL WHERE id = ?`)
      .run(error, nextAttemptMs, id);
  }

  /** Gives the report back without counting an attempt (the console stopped while sending it). */
  release(id: number): void {
    this.db.prepare(`UPDATE report_outbox SET lease_until_ms = NULL, lease_pid = NULL WHERE id = ?`).run(id);
  }

  /** Drops one entry, whatever its state (a note that served its purpose); false when there was none. */
  remove(key: string): boolean {
    return this.db.prepare(`DELETE FROM report_outbox WHERE key = ?`).run(key).changes === 1;
  }

  /** Drops delivered reports finished before `beforeMs`; pending and rejected ones stay. */
  pruneFinished(beforeMs: number): number {
    return this.db.prepare(`DELETE FROM report_outbox WHERE status = 'delivered' AND finished_at < ?`).run(new Date(beforeMs).toISOString()).changes;
  }

  /** The backend will never accept this report; kept for support, no longer sent. */
  markRejected(id: number, error: string, nowIso: string): void {
    this.db
      .prepare(`UPDATE report_outbox SET status = 'rejected', attempts = attempts + 1, last_error = ?, finished_at = ?, lease_until_ms = NULL, lease_pid = NULL WHERE id = ?`)
      .run(error, nowIso, id);
  }

  /**
   * When the earliest pending stream head of `kinds` becomes due, or null when
   * none waits. Reports of a kind nobody sends are left out: waiting for them
   * would wake the delivery loop for nothing, again and again.
   */
  nextDueMs(kinds: readonly string[]): number | null {
    if (kinds.length === 0) return null;
    const row = this.db
      .prepare(
        `SELECT MIN(MAX(o.next_attempt_ms, COALESCE(o.lease_until_ms, 0))) AS due FROM report_outbox o
         WHERE o.status = 'pending' AND o.id = (SELECT MIN(id) FROM report_outbox WHERE stream = o.stream AND status = 'pending')
           AND o.kind IN (${kinds.map(() => '?').join(', ')})`,
      )
      .get(...kinds) as { due: number | null };
    return row.due;
  }

  get(key: string): OutboxEntry | undefined {
    const row = this.db.prepare(`SELECT * FROM report_outbox WHERE key = ?`).get(key) as OutboxRow | undefined;
    return row && toEntry(row);
  }

  list(status?: OutboxEntry['status']): OutboxEntry[] {
    const rows = (
      status
        ? this.db.prepare(`SELECT * FROM report_outbox WHERE status = ? ORDER BY id`).all(status)
        : this.db.prepare(`SELECT * FROM report_outbox ORDER BY id`).all()
    ) as OutboxRow[];
    return rows.map(toEntry);
  }
}
