import type { InstallStep, JobLogLine, JobReport, JobState, JobView, SlotName } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import { jobLogLine, logError, logText, type LogEntry } from '../../shared/job-log';
import type { TerminalConnector, TerminalIdentity } from '../../../native/terminal/terminal-driver';
import type { Clock } from '../clock';
import { StageTimeline } from '../pipeline/stage-timeline';
import { TerminalSession } from '../pipeline/terminal-session';
import type { JobStore } from '../store';
import type { EngineTimeouts } from '../timeouts';
import { rollbackTarget } from './slot-rollback';

type LogLevel = JobLogLine['level'];

export interface RollbackJobDeps {
  connector: TerminalConnector;
  timeouts: EngineTimeouts;
  clock: Clock;
  store: JobStore;
  emitJob(view: JobView): void;
  emitLog(line: JobLogLine): void;
  /** Called once the report is stored, before `done` is emitted: the terminal as last seen, or why it cannot be reached. */
  ended(end: { terminal: TerminalIdentity | null; unreachable: ZucError | null }): void;
}

/**
 * Switches an A/B terminal back to its other, good slot, as a job with its
 * own stages and log like a flash: detect (the other slot must still be
 * good), then install's activate, reboot and confirm steps, then report.
 *
 *   queued ─► detecting ─► installing(activate ─► reboot ─► confirm) ─► reporting ─► done
 *                 │ other slot not good             │ came back on the old slot
 *                 └───────────────────────────────► reporting(failed)
 */
export class RollbackJob {
  private readonly timeline: StageTimeline;
  private readonly session: TerminalSession;
  private readonly cancelRequest = new AbortController();
  private readonly createdAt: number;
  private current: JobView;
  private before: TerminalIdentity | null = null;
  private latest: TerminalIdentity | null = null;
  private target: SlotName | null = null;
  private deviceLogFrom = 0;

  constructor(
    readonly id: string,
    readonly address: string,
    private readonly deps: RollbackJobDeps,
  ) {
    this.createdAt = deps.clock.now();
    this.timeline = new StageTimeline(deps.clock, ['download', 'verify']);
    this.session = new TerminalSession(address, deps.connector, deps.timeouts, deps.clock, (level, entry) => this.log(level, entry));
    this.current = { id, address, imageName: 'rollback to the other slot', createdAt: new Date(this.createdAt).toISOString(), state: { kind: 'queued' }, stages: this.timeline.snapshot() };
  }

  get view(): JobView {
    return this.current;
  }

  /** Stops before the slot switch; once the terminal reboots, the job sees it through. */
  cancel(): void {
    this.cancelRequest.abort();
  }

  async run(): Promise<JobReport> {
    this.deps.store.insertJob({ id: this.id, address: this.address, imageName: this.current.imageName, createdAt: this.current.createdAt });
    let error: ZucError | null = null;
    try {
      await this.detect();
      await this.step('activate', () => this.session.setActive(this.target!));
      await this.step('reboot', () => this.rebootAndWait());
      await this.step('confirm', () => this.confirm());
      this.timeline.endStage('install', 'done');
    } catch (err) {
      error = ZucError.from(err);
      this.log('error', logText('error', { error: logError(error) }));
    }
    return this.finish(error);
  }

  private async detect(): Promise<void> {
    this.timeline.begin('detect');
    this.setState({ kind: 'detecting' });
    try {
      this.before = this.latest = await this.session.connect();
      this.target = rollbackTarget(this.before);
      this.deviceLogFrom = (await this.session.readLog().catch(() => [] as string[])).length;
      this.log('info', logText('rollback-start', { version: this.before.firmwareVersion, slot: this.before.activeSlot, target: this.target, targetVersion: this.before.slots[this.target].version }));
      this.saveFacts();
      if (this.cancelRequest.signal.aborted) throw new ZucError(E.CANCELLED, 'before the slot switch');
      this.timeline.endStage('detect', 'done');
    } catch (err) {
      this.timeline.endStage('detect', 'failed');
      throw err;
    }
  }

  private async step(step: InstallStep, run: () => Promise<void>): Promise<void> {
    this.timeline.begin('install', step);
    this.setState({ kind: 'installing', step, progress: null });
    try {
      await run();
      this.timeline.endStep(step, 'done');
    } catch (err) {
      this.timeline.endStep(step, 'failed');
      throw err;
    }
  }

  private async rebootAndWait(): Promise<void> {
    await this.session.reboot();
    this.latest = await this.session.awaitBoot(AbortSignal.timeout(this.deps.timeouts.bootMs));
  }

  private async confirm(): Promise<void> {
    const running = this.latest!;
    // The bootloader may refuse the slot and fall back; then the terminal is unchanged and must not be confirmed onto the old slot's trial.
    if (running.activeSlot !== this.target) throw new ZucError(E.ROLLBACK_NOT_BOOTED, `the terminal runs slot ${running.activeSlot} (${running.firmwareVersion})`);
    await this.session.confirm();
    this.latest = await this.session.identify();
    this.log('info', logText('rollback-confirmed', { slot: this.target, version: this.latest.firmwareVersion }));
  }

  private async finish(error: ZucError | null): Promise<JobReport> {
    const result = error ? 'failed' : 'success';
    this.timeline.begin('report');
    this.setState({ kind: 'reporting', result });
    await this.copyDeviceLog();
    this.timeline.endStage('report', 'done');
    this.timeline.close();
    const now = this.deps.clock.now();
    const report: JobReport = {
      jobId: this.id,
      address: this.address,
      serial: this.before?.serial ?? '',
      model: this.before?.model ?? '',
      imageName: this.current.imageName,
      result,
      code: error ? error.code : E.SUCCESS.code,
      error: error ? error.toJSON() : null,
      stages: this.timeline.snapshot(),
      fromVersion: this.before?.firmwareVersion ?? '',
      toVersion: this.target && this.before ? this.before.slots[this.target].version : '',
      activeSlot: this.latest?.activeSlot ?? 'a',
      bytesSent: 0,
      durationMs: Math.max(0, now - this.createdAt),
      startedAt: this.current.createdAt,
      finishedAt: new Date(now).toISOString(),
    };
    this.deps.store.finishJob(report);
    const reachable = this.session.connected;
    await this.session.disconnect();
    this.deps.ended({ terminal: reachable ? this.latest : null, unreachable: reachable ? null : (error ?? new ZucError(E.TERMINAL_UNREACHABLE, this.address)) });
    this.setState({ kind: 'done', report });
    return report;
  }

  /** The terminal's own lines from the job, where support staff look first (and the support bundle takes them). */
  private async copyDeviceLog(): Promise<void> {
    if (!this.session.connected) return;
    try {
      const lines = await this.session.readLog();
      for (const line of lines.slice(this.deviceLogFrom <= lines.length ? this.deviceLogFrom : 0)) this.log('debug', logText('device-line', { line }));
    } catch (err) {
      this.log('warn', logText('device-log-unreadable', { error: logError(ZucError.from(err)) }));
    }
  }

  private saveFacts(): void {
    this.deps.store.updateFacts(this.id, {
      serial: this.before?.serial ?? '',
      model: this.before?.model ?? '',
      fromVersion: this.before?.firmwareVersion ?? '',
      toVersion: this.target && this.before ? this.before.slots[this.target].version : '',
      activeSlot: this.latest?.activeSlot ?? 'a',
      bytesSent: 0,
    });
  }

  private setState(state: JobState): void {
    this.current = { ...this.current, state, stages: this.timeline.snapshot() };
    this.log('info', logText('rollback-state', { kind: state.kind, step: state.kind === 'installing' ? state.step : null }));
    this.deps.emitJob(this.current);
  }

  private log(level: LogLevel, entry: LogEntry): void {
    const line = jobLogLine(this.id, new Date(this.deps.clock.now()).toISOString(), level, entry);
    this.deps.store.appendLog(line);
    this.deps.emitLog(line);
  }
}
