import type { ImageRef, JobLogLine, JobReport, JobState, JobView, Progress } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import { jobLogLine, logError, logText, type LogEntry, type LogState } from '../../shared/job-log';
import type { TerminalConnector, TerminalIdentity } from '../../../native/terminal/terminal-driver';
import type { Clock } from '../clock';
import type { LoadedImage } from '../image/load-image';
import type { PackagePolicy } from '../image/package-image';
import type { JobStore } from '../store';
import type { EngineTimeouts } from '../timeouts';
import { newFlashContext, targetVersion, type FlashContext, type FlashIo, type LogLevel } from './flash-context';
import type { NodeName } from './flash-machine';
import { runMachine, type MachineOutcome } from './run-machine';
import { StageTimeline } from './stage-timeline';
import { TerminalSession } from './terminal-session';

/** Progress events per job are kept at or below 10 a second; the UI cannot show more. */
export const PROGRESS_INTERVAL_MS = 100;
/** Codes that mean the terminal could not be reached at all, rather than that it misbehaved. */
const UNREACHABLE_CODES = new Set<string>([E.TERMINAL_UNREACHABLE.code, E.NO_BOOT.code, E.LINK_LOST.code, E.LINK_TIMEOUT.code, E.PORT_OPEN_FAILED.code, E.USB_DEVICE_NOT_FOUND.code]);

export interface FlashJobDeps {
  connector: TerminalConnector;
  timeouts: EngineTimeouts;
  clock: Clock;
  store: JobStore;
  loadImage(ref: ImageRef): Promise<LoadedImage>;
  packagePolicy: PackagePolicy;
  /** `<dataDir>/backups`, where single-slot terminals' images are kept before they are overwritten. */
  backupDir?: string;
  emitJob(view: JobView): void;
  emitLog(line: JobLogLine): void;
  /** The download an update job did before this job (stored with the job's stages); a manual flash has none. */
  download?: { status: 'done' | 'failed' | 'skipped'; ms: number | null };
  /** Called once the report is stored and before the job's `done` state is emitted, so listeners of `done` see the terminal free. */
  ended(end: FlashJobEnd): void;
}

export interface FlashJobEnd {
  report: JobReport;
  /** The terminal as last seen; null if it never answered. */
  terminal: TerminalIdentity | null;
  /** Why the terminal cannot be reached now, when that is how the job ended. */
  unreachable: ZucError | null;
}

/**
 * One manual flash of one image onto one terminal: runs the pipeline
 * machine, owns the job's view and is the only place its state changes.
 */
export class FlashJob {
  private readonly cancelRequest = new AbortController();
  private readonly timeline: StageTimeline;
  private readonly session: TerminalSession;
  private readonly ctx: FlashContext;
  private lastProgressAt = Number.NEGATIVE_INFINITY;
  private readonly createdAt: number;
  private current: JobView;

  constructor(
    readonly id: string,
    address: string,
    imageName: string,
    image: ImageRef,
    private readonly deps: FlashJobDeps,
  ) {
    this.timeline = new StageTimeline(deps.clock, ['download']);
    if (deps.download) this.timeline.recordEarlier('download', deps.download.status, deps.download.ms);
    this.session = new TerminalSession(address, deps.connector, deps.timeouts, deps.clock, (level, entry) => this.log(level, entry));
    this.ctx = newFlashContext(address, image);
    this.createdAt = deps.clock.now();
    this.current = {
      id,
      address,
      imageName,
      createdAt: new Date(this.createdAt).toISOString(),
      state: { kind: 'queued' },
      stages: this.timeline.snapshot(),
    };
    deps.store.insertJob({ id, address, imageName, createdAt: this.current.createdAt });
  }

  get view(): JobView {
    return this.current;
  }

  /** Asks the job to stop; honoured only before activation, when stopping is safe. */
  cancel(): void {
    this.cancelRequest.abort();
  }

  async run(): Promise<FlashJobEnd> {
    let outcome: MachineOutcome;
    try {
      outcome = await runMachine(this.ctx, this.io(), this.timeline, this.observer(), this.cancelRequest.signal);
    } catch (err) {
      const error = ZucError.from(err);
      outcome = { result: 'failed', error, recoveryError: null };
    }
    return this.report(outcome);
  }

  private async report(outcome: MachineOutcome): Promise<FlashJobEnd> {
    this.setState({ kind: 'reporting', result: outcome.result });
    this.timeline.begin('report');
    await this.copyDeviceLog(outcome);
    // Whether the terminal answers at the end decides whether it shows ready or offline.
    const reachable = this.session.connected;
    await this.session.disconnect();
    const error = restoredNote(finalError(outcome), outcome, this.ctx);
    if (error) this.log('error', logText('error', { error: logError(error) }));
    this.timeline.endStage('report', 'done');
    this.timeline.close();
    const { before, latest } = this.ctx;
    const finishedAt = this.deps.clock.now();
    const report: JobReport = {
      jobId: this.id,
      address: this.ctx.address,
      serial: before?.serial ?? '',
      model: before?.model ?? '',
      imageName: this.ctx.image?.name ?? this.current.imageName,
      result: outcome.result,
      code: error ? error.code : E.SUCCESS.code,
      error: error ? error.toJSON() : null,
      stages: this.timeline.snapshot(),
      fromVersion: before?.firmwareVersion ?? '',
      toVersion: targetVersion(this.ctx) ?? '',
      activeSlot: latest?.activeSlot ?? 'a',
      bytesSent: this.ctx.bytesSent,
      durationMs: finishedAt - this.createdAt,
      startedAt: this.current.createdAt,
      finishedAt: new Date(finishedAt).toISOString(),
    };
    this.persist('the report', () => this.deps.store.finishJob(report));
    this.log(outcome.result === 'success' ? 'info' : 'warn', logText('job-ended', { result: report.result, code: report.code, ms: Math.round(report.durationMs) }));
    const unreachable = error && !reachable && UNREACHABLE_CODES.has((outcome.recoveryError ?? error).code) ? error : null;
    const end = { report, terminal: latest, unreachable };
    this.deps.ended(end);
    this.setState({ kind: 'done', report });
    return end;
  }

  /**
   * Copies what the terminal logged during the job into the job log, where
   * support staff look first. After a cable pull one reconnect is tried: the
   * device's view of the drop is the most useful part.
   */
  private async copyDeviceLog(outcome: MachineOutcome): Promise<void> {
    try {
      if (!this.session.connected) {
        if (outcome.error?.code !== E.LINK_LOST.code || !this.ctx.before) return;
        this.ctx.latest = await this.session.connect();
      }
      const lines = await this.session.readLog();
      const from = this.ctx.deviceLogFrom !== null && this.ctx.deviceLogFrom <= lines.length ? this.ctx.deviceLogFrom : 0;
      for (const line of lines.slice(from)) this.log('debug', logText('device-line', { line }));
    } catch (err) {
      this.log('warn', logText('device-log-unreadable', { error: logError(ZucError.from(err)) }));
    }
  }

  private io(): FlashIo {
    return {
      session: this.session,
      timeouts: this.deps.timeouts,
      clock: this.deps.clock,
      loadImage: (ref) => this.deps.loadImage(ref),
      packagePolicy: this.deps.packagePolicy,
      backupDir: this.deps.backupDir ?? null,
      progress: (progress) => this.progress(progress),
      log: (level, entry) => this.log(level, entry),
    };
  }

  private observer() {
    return {
      entered: (node: NodeName, ctx: FlashContext) => this.setState(stateOf(node, ctx, this.deps.clock.now(), this.deps.timeouts)),
      left: (node: NodeName, ctx: FlashContext, error: ZucError | null) => {
        if (error) this.log(error.code === E.CANCELLED.code ? 'warn' : 'error', logText('node-failed', { node, error: logError(error) }));
        this.persist('stage timings', () => {
          this.saveFacts(ctx);
          this.deps.store.saveStages(this.id, this.timeline.snapshot());
        });
      },
    };
  }

  /** Progress only changes the state at PROGRESS_INTERVAL_MS at most, and always at 100 %. */
  private progress(progress: Progress): void {
    const now = this.deps.clock.now();
    const last = progress.bytesDone >= progress.bytesTotal;
    if (!last && now - this.lastProgressAt < PROGRESS_INTERVAL_MS) return;
    this.lastProgressAt = now;
    const state = this.current.state;
    if (state.kind === 'installing') this.setState({ ...state, progress }, { quiet: true });
  }

  /** The one place a job changes state: logs the transition, then tells every listener. */
  private setState(state: JobState, options: { quiet?: boolean } = {}): void {
    const previous = this.current.state;
    this.current = { ...this.current, state, stages: this.timeline.snapshot() };
    if (!options.quiet) this.log('info', logText('state-changed', { from: logState(previous), to: logState(state) }));
    this.deps.emitJob(this.current);
  }

  private log(level: LogLevel, entry: LogEntry): void {
    const line = jobLogLine(this.id, new Date(this.deps.clock.now()).toISOString(), level, entry);
    this.persist(null, () => this.deps.store.appendLog(line));
    this.deps.emitLog(line);
  }

  /**
   * Writes to the store without letting a store failure (disk full, database
   * closed under a running job) stop an install halfway: the terminal's
   * safety matters more than the record. The failure is still shown live.
   */
  private persist(what: string | null, write: () => void): void {
    try {
      write();
    } catch (err) {
      if (what === null) return;
      const error = new ZucError(E.DATABASE, `could not store ${what}: ${(err as Error).message}`);
      this.deps.emitLog(jobLogLine(this.id, new Date(this.deps.clock.now()).toISOString(), 'error', logText('error', { error: logError(error) })));
    }
  }

  private saveFacts(ctx: FlashContext): void {
    this.deps.store.updateFacts(this.id, {
      serial: ctx.before?.serial ?? '',
      model: ctx.before?.model ?? '',
      fromVersion: ctx.before?.firmwareVersion ?? '',
      toVersion: targetVersion(ctx) ?? '',
      activeSlot: ctx.latest?.activeSlot ?? 'a',
      bytesSent: ctx.bytesSent,
    });
  }
}

function stateOf(node: NodeName, ctx: FlashContext, now: number, timeouts: EngineTimeouts): JobState {
  switch (node) {
    case 'reconnect':
      return {
        kind: 'waiting-for-terminal',
        since: new Date(now).toISOString(),
        deadline: new Date(now + timeouts.reconnectWaitMs).toISOString(),
        error: new ZucError(E.LINK_LOST, 'the link dropped during the write').toJSON(),
      };
    case 'detect':
      return { kind: 'detecting' };
    case 'verify':
      return { kind: 'verifying' };
    case 'backup':
      return { kind: 'backing-up' };
    case 'restore':
    case 'rollback':
      return { kind: 'rolling-back', error: (ctx.error ?? new ZucError(E.INTERNAL, 'rollback without a failure')).toJSON() };
    default:
      return { kind: 'installing', step: node, progress: null };
  }
}

/** A state as its transition line names it. */
function logState(state: JobState): LogState {
  if (state.kind === 'installing') return { kind: state.kind, step: state.step };
  if (state.kind === 'reporting') return { kind: state.kind, result: state.result };
  if (state.kind === 'rolling-back') return { kind: state.kind, code: state.error.code };
  if (state.kind === 'waiting-for-terminal') return { kind: state.kind, deadline: state.deadline };
  return { kind: state.kind };
}

/**
 * The error a failed job reports. When the rollback failed too, that is the
 * news, unless the terminal simply never answered again: then "did not come
 * back" says more than "could not roll back".
 */
/**
 * A single-slot terminal that ended rolled back was restored from the
 * console's backup: the report's code says so (it could not roll back
 * instantly), the failure that caused it stays in the detail.
 */
function restoredNote(error: ZucError | null, outcome: MachineOutcome, ctx: FlashContext): ZucError | null {
  if (!error || outcome.result !== 'rolled-back' || !ctx.backup) return error;
  return new ZucError(E.RESTORED_FROM_BACKUP, `after ${error.code} (${error.detail || error.entry.title}): a single-slot terminal cannot roll back instantly; ${ctx.backup.version} was written back from ${ctx.backup.path} and boots again`);
}

function finalError(outcome: MachineOutcome): ZucError | null {
  const { error, recoveryError } = outcome;
  if (!recoveryError || !error) return error;
  if (error.code === E.NO_BOOT.code && UNREACHABLE_CODES.has(recoveryError.code)) return error;
  return new ZucError(E.ROLLBACK_FAILED, `after ${error.code} (${error.detail || error.entry.title}): ${recoveryError.code} ${recoveryError.detail || recoveryError.entry.title}`);
}
