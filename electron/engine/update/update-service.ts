import path from 'node:path';
import type { JobLogLine, JobReport } from '../../shared/contract';
import { systemClock, type Clock } from '../clock';
import type { PackageCache } from '../download';
import { httpReportSender, Outbox, type BackoffPolicy } from '../report';
import { HAWKBIT_FEEDBACK, hawkbitFeedbackRouter } from '../sources/hawkbit';
import { JobScheduler, type SchedulerStats } from '../scheduler';
import type { Engine } from '../service/engine';
import type { FetchProgress } from '../sources';
import { JobStore, openDatabase, type Db } from '../store';
import { HawkbitDeployments } from './hawkbit-update';
import type { ConfiguredSource } from './source-order';
import { UpdateJob } from './update-job';
import { UPDATE_REPORT_KIND, UPDATE_STARTED_KIND, type UpdateReport, type UpdateStartedNote } from './update-report';

export interface UpdateServiceOptions {
  engine: Engine;
  /** The engine's data folder: history and outbox live in its database. */
  dataDir: string;
  /**
   * In priority order (libraries, catalogs, hawkBit servers, as configured): a terminal
   * is updated from the first that offers it an update. A function is asked again for
   * every job (sources from the settings).
   */
  sources: readonly ConfiguredSource[] | (() => readonly ConfiguredSource[]);
  cache: PackageCache;
  /** Terminals updated at once. */
  concurrency?: number;
  clock?: Clock;
  onDownloadProgress?(address: string, progress: FetchProgress): void;
  /** Each terminal's report as soon as its job ended. */
  onReport?(report: UpdateReport): void;
  /**
   * The backend's report endpoint (settings `reportUrl`), asked at every attempt. Given, the
   * outbox delivers update reports in the background, also those an earlier console queued.
   */
  reportUrl?: () => string | null;
  /**
   * false: no background delivery; the caller runs `outbox.deliverDue()` itself (a
   * short-lived CLI, whose exit would cut a background send short). Default true.
   */
  deliverInBackground?: boolean;
  /** Pauses between delivery attempts; the outbox's default unless given. */
  reportBackoff?: BackoffPolicy;
}

/**
 * Updates terminals through the full pipeline, at most `concurrency` at a
 * time. Every report is stored in the history and queued in the durable
 * outbox for the backend; one terminal's failure never stops the others.
 */
export class UpdateService {
  private readonly db: Db;
  private readonly jobStore: JobStore;
  readonly outbox: Outbox;
  private readonly scheduler: JobScheduler;
  private readonly clock: Clock;
  private hawkbitRegistered = false;

  constructor(private readonly options: UpdateServiceOptions) {
    this.scheduler = new JobScheduler(options.concurrency);
    this.clock = options.clock ?? systemClock;
    this.db = openDatabase(options.dataDir);
    this.jobStore = new JobStore(this.db);
    this.outbox = new Outbox(this.db, { clock: this.clock, ...(options.reportBackoff ? { backoff: options.reportBackoff } : {}) });
    if (options.reportUrl) this.outbox.register(UPDATE_REPORT_KIND, httpReportSender({ url: options.reportUrl }));
    // Feedback an earlier console queued for hawkBit goes out without waiting for the next hawkBit job.
    this.registerHawkbit(this.currentSources());
    this.reportInterrupted();
    // Without a sender for a kind its reports simply wait; the loop costs nothing until one is registered.
    if (options.deliverInBackground !== false) this.outbox.start();
  }

  get concurrency(): number {
    return this.scheduler.concurrency;
  }

  get stats(): SchedulerStats {
    return this.scheduler.stats;
  }

  update(address: string): Promise<UpdateReport> {
    return this.scheduler.submit(async () => {
      const sources = this.currentSources();
      this.registerHawkbit(sources);
      const job = new UpdateJob(address, {
        engine: this.options.engine,
        sources,
        cache: this.options.cache,
        outbox: this.outbox,
        clock: this.clock,
        workDir: path.join(this.options.dataDir, 'delta-base'),
        recordUnflashed: (report, log) => this.record(report, log),
        flashStarted: (note) => this.noteStarted(note),
        ...(this.options.onDownloadProgress ? { onDownloadProgress: this.options.onDownloadProgress } : {}),
      });
      const report = await job.run();
      // The note goes only once the report is queued: a crash in between leaves the next console to queue it.
      if (this.queueReport(report)) this.closeNote(report.jobId);
      this.options.onReport?.(report);
      return report;
    });
  }

  private currentSources(): readonly ConfiguredSource[] {
    return typeof this.options.sources === 'function' ? this.options.sources() : this.options.sources;
  }

  /** Once a hawkBit server is configured, the outbox delivers every configured server's feedback, each to its own server. */
  private registerHawkbit(sources: readonly ConfiguredSource[]): void {
    if (this.hawkbitRegistered || !sources.some((s) => s instanceof HawkbitDeployments)) return;
    this.hawkbitRegistered = true;
    this.outbox.register(HAWKBIT_FEEDBACK, hawkbitFeedbackRouter(() => this.currentSources().flatMap((s) => (s instanceof HawkbitDeployments ? [s.client] : []))));
  }

  /** One report per address, in the order given. */
  updateAll(addresses: readonly string[]): Promise<UpdateReport[]> {
    return Promise.all(addresses.map((address) => this.update(address)));
  }

  /** Stops report delivery (a report on its way may finish first), then closes the database. */
  async close(): Promise<void> {
    try {
      await this.outbox.stop();
    } finally {
      this.db.close();
    }
  }

  private record(report: JobReport, log: JobLogLine[]): void {
    this.jobStore.insertJob({ id: report.jobId, address: report.address, imageName: report.imageName, createdAt: report.startedAt });
    for (const line of log) this.jobStore.appendLog(line);
    this.jobStore.finishJob(report);
  }

  /**
   * Update jobs an earlier console started and never finished (it crashed or
   * was killed): the engine has marked them interrupted in the history; their
   * reports go to the backend now, once, with the update facts the note kept.
   */
  private reportInterrupted(): void {
    try {
      for (const entry of this.outbox.store.list('pending')) {
        if (entry.kind !== UPDATE_STARTED_KIND) continue;
        const note = entry.payload as UpdateStartedNote;
        // Not finished: still running in a live console, which reports it itself.
        const report = this.jobStore.getReport(note.jobId);
        if (!report) continue;
        const queued = this.queueReport({ ...report, package: note.package ?? (report.imageName || null), source: note.source, delta: note.delta, bytesSaved: note.bytesSaved });
        if (queued) this.outbox.store.remove(entry.key);
      }
    } catch {
      // The notes stay; the next console tries again.
    }
  }

  /** Each note is its own stream: it is never sent and must not hold up the terminal's reports. */
  private noteStarted(note: UpdateStartedNote): void {
    try {
      this.outbox.enqueue({ key: `${UPDATE_STARTED_KIND}:${note.jobId}`, kind: UPDATE_STARTED_KIND, stream: `${UPDATE_STARTED_KIND}:${note.jobId}`, target: 'backend', payload: note });
    } catch {
      // Without the note a crash mid-job leaves its report to the history only.
    }
  }

  /** The job's report is queued: its note has served. */
  private closeNote(jobId: string): void {
    try {
      this.outbox.store.remove(`${UPDATE_STARTED_KIND}:${jobId}`);
    } catch {
      // A note left pending is settled by the next console: the report is queued under the same key, once.
    }
  }

  /** The job id is the key: however often a report is queued, the backend sees it once. */
  /** False when the outbox could not take it (the history still holds the report). */
  private queueReport(report: UpdateReport): boolean {
    try {
      this.outbox.enqueue({ key: `update:${report.jobId}`, kind: UPDATE_REPORT_KIND, stream: report.serial || report.address, target: 'backend', payload: report });
      return true;
    } catch {
      return false;
    }
  }
}
