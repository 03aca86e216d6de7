import { ErrorPayloadSchema, InstallStepSchema, type ErrorStat, type HistoryFilter, StageNameSchema, StageStatusSchema, type JobLogLine, type JobReport, type SlotName, type StageRecord } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import { JobLogTextSchema, jobLogLine, logText, type JobLogText } from '../../shared/job-log';
import type { Db } from './database';
import { historyWhere } from './history-query';

/** What the engine knows of a job while it runs; written as it learns it. */
export interface JobFacts {
  serial: string;
  model: string;
  fromVersion: string;
  toVersion: string;
  activeSlot: SlotName;
  bytesSent: number;
}

interface JobRow {
  id: string;
  address: string;
  image_name: string;
  created_at: string;
  finished_at: string | null;
  serial: string;
  model: string;
  from_version: string;
  to_version: string;
  active_slot: SlotName;
  bytes_sent: number;
  result: JobReport['result'] | null;
  code: string | null;
  error_json: string | null;
  duration_ms: number | null;
}

interface LogRow extends Omit<JobLogLine, 'text'> {
  text_json: string | null;
}

interface StageRow {
  name: string;
  step: string | null;
  status: string;
  ms: number | null;
}

/** Jobs, their stage timings and log lines in the console's database. */
export class JobStore {
  constructor(private readonly db: Db) {}

  /** Records a new running job, owned by process `ownerPid` (this one by default). */
  insertJob(job: { id: string; address: string; imageName: string; createdAt: string; ownerPid?: number }): void {
    this.db
      .prepare(`INSERT INTO jobs (id, address, image_name, created_at, status, owner_pid) VALUES (?, ?, ?, ?, 'running', ?)`)
      .run(job.id, job.address, job.imageName, job.createdAt, job.ownerPid ?? process.pid);
  }

  updateFacts(jobId: string, facts: JobFacts): void {
    this.db
      .prepare(
        `UPDATE jobs SET serial = ?, model = ?, from_version = ?, to_version = ?, active_slot = ?, bytes_sent = ? WHERE id = ?`,
      )
      .run(facts.serial, facts.model, facts.fromVersion, facts.toVersion, facts.activeSlot, facts.bytesSent, jobId);
  }

  saveStages(jobId: string, stages: readonly StageRecord[]): void {
    const rows: StageRow[] = [];
    for (const stage of stages) {
      rows.push({ name: stage.name, step: null, status: stage.status, ms: stage.ms });
      for (const step of stage.steps ?? []) rows.push({ name: stage.name, step: step.name, status: step.status, ms: step.ms });
    }
    const insert = this.db.prepare(`INSERT INTO job_stages (job_id, position, name, step, status, ms) VALUES (?, ?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM job_stages WHERE job_id = ?`).run(jobId);
      rows.forEach((r, i) => insert.run(jobId, i, r.name, r.step, r.status, r.ms));
    })();
  }

  appendLog(line: JobLogLine): void {
    this.db
      .prepare(`INSERT INTO job_log (job_id, at, level, message, text_json) VALUES (?, ?, ?, ?, ?)`)
      .run(line.jobId, line.at, line.level, line.message, line.text ? JSON.stringify(line.text) : null);
  }

  finishJob(report: JobReport): void {
    this.db.transaction(() => {
      this.updateFacts(report.jobId, report);
      this.db
        .prepare(`UPDATE jobs SET status = 'finished', finished_at = ?, result = ?, code = ?, error_json = ?, duration_ms = ? WHERE id = ?`)
        .run(report.finishedAt, report.result, report.code, report.error ? JSON.stringify(report.error) : null, report.durationMs, report.jobId);
      this.saveStages(report.jobId, report.stages);
    })();
  }

  /**
   * Closes the jobs a process left running when it died (crash, kill, power
   * loss): they end `failed` with INTERRUPTED. Jobs of a process that is
   * still alive are left alone. Returns the ids closed.
   */
  markInterrupted(nowIso: string, isAlive: (pid: number) => boolean = processAlive): string[] {
    const error = new ZucError(E.INTERRUPTED, 'the console stopped before this job ended').toJSON();
    return this.db.transaction(() => {
      const rows = this.db.prepare(`SELECT id, owner_pid AS pid FROM jobs WHERE status = 'running'`).all() as { id: string; pid: number | null }[];
      const ids = rows.filter((r) => r.pid === null || !isAlive(r.pid)).map((r) => r.id);
      const close = this.db.prepare(
        `UPDATE jobs SET status = 'finished', finished_at = ?, result = 'failed', code = ?, error_json = ?,
           duration_ms = MAX(0, (julianday(?) - julianday(created_at)) * 86400000) WHERE id = ?`,
      );
      const markStages = this.db.prepare(`UPDATE job_stages SET status = 'failed' WHERE job_id = ? AND status = 'active'`);
      for (const id of ids) {
        close.run(nowIso, error.code, JSON.stringify(error), nowIso, id);
        markStages.run(id);
        this.appendLog(jobLogLine(id, nowIso, 'error', logText('error', { error: { code: error.code, detail: '' } })));
      }
      return ids;
    })();
  }

  /**
   * A job another console (the desktop app, the station, a CLI run) is
   * running on this terminal right now, judged by the database they share.
   */
  runningJobAt(address: string, isAlive: (pid: number) => boolean = processAlive): string | null {
    const rows = this.db.prepare(`SELECT id, owner_pid AS pid FROM jobs WHERE status = 'running' AND address = ?`).all(address) as { id: string; pid: number | null }[];
    return rows.find((r) => r.pid !== null && isAlive(r.pid))?.id ?? null;
  }

  /** Finished jobs, newest first. */
  listReports(limit: number): JobReport[] {
    const rows = this.db
      .prepare(`SELECT * FROM jobs WHERE status = 'finished' ORDER BY created_at DESC, rowid DESC LIMIT ?`)
      .all(limit) as JobRow[];
    return rows.map((row) => this.toReport(row));
  }

  /** Finished jobs matching every given filter, newest first. */
  findReports(filter: Omit<HistoryFilter, 'limit'>, limit: number): JobReport[] {
    const where = historyWhere(filter);
    const rows = this.db
      .prepare(`SELECT * FROM jobs WHERE ${where.sql} ORDER BY created_at DESC, rowid DESC LIMIT ?`)
      .all(...where.params, limit) as JobRow[];
    return rows.map((row) => this.toReport(row));
  }

  /** Per code that ended a failed or rolled-back job: how many jobs, on which terminals (serials). */
  errorStats(): ErrorStat[] {
    const rows = this.db
      .prepare(`SELECT code, serial, COUNT(*) AS n FROM jobs WHERE status = 'finished' AND result != 'success' AND code IS NOT NULL GROUP BY code, serial ORDER BY code, serial`)
      .all() as { code: string; serial: string; n: number }[];
    const byCode = new Map<string, ErrorStat>();
    for (const row of rows) {
      const stat = byCode.get(row.code) ?? { code: row.code, count: 0, serials: [] };
      stat.count += row.n;
      // A job that failed before the terminal answered has no serial; it counts, but names no terminal.
      if (row.serial) stat.serials.push(row.serial);
      byCode.set(row.code, stat);
    }
    return [...byCode.values()];
  }

  getReport(jobId: string): JobReport | undefined {
    const row = this.db.prepare(`SELECT * FROM jobs WHERE id = ? AND status = 'finished'`).get(jobId) as JobRow | undefined;
    return row && this.toReport(row);
  }

  getLog(jobId: string): JobLogLine[] {
    const rows = this.db.prepare(`SELECT job_id AS jobId, at, level, message, text_json FROM job_log WHERE job_id = ? ORDER BY id`).all(jobId) as LogRow[];
    return rows.map(({ text_json, ...line }) => {
      const text = storedText(text_json);
      return text ? { ...line, text } : line;
    });
  }

  private toReport(row: JobRow): JobReport {
    const error = row.error_json ? ErrorPayloadSchema.parse(JSON.parse(row.error_json)) : null;
    return {
      jobId: row.id,
      address: row.address,
      serial: row.serial,
      model: row.model,
      imageName: row.image_name,
      result: row.result ?? 'failed',
      code: row.code ?? E.INTERNAL.code,
      error,
      stages: this.loadStages(row.id),
      fromVersion: row.from_version,
      toVersion: row.to_version,
      activeSlot: row.active_slot,
      bytesSent: row.bytes_sent,
      durationMs: row.duration_ms ?? 0,
      startedAt: row.created_at,
      finishedAt: row.finished_at ?? row.created_at,
    };
  }

  private loadStages(jobId: string): StageRecord[] {
    const rows = this.db.prepare(`SELECT name, step, status, ms FROM job_stages WHERE job_id = ? ORDER BY position`).all(jobId) as StageRow[];
    const stages: StageRecord[] = [];
    for (const row of rows) {
      const status = StageStatusSchema.parse(row.status);
      if (row.step === null) {
        stages.push({ name: StageNameSchema.parse(row.name), status, ms: row.ms });
        continue;
      }
      const parent = stages[stages.length - 1];
      if (!parent) continue;
      (parent.steps ??= []).push({ name: InstallStepSchema.parse(row.step), status, ms: row.ms });
    }
    return stages;
  }
}

/** A stored line's catalogued text; none for lines stored before ids existed or with an id this console does not know. */
function storedText(json: string | null): JobLogText | null {
  if (json === null) return null;
  try {
    const parsed = JobLogTextSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Whether a process with this id exists on this machine (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
