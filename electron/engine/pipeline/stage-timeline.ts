import { INSTALL_STEPS, STAGE_NAMES, type InstallStep, type StageName, type StageRecord, type StageStatus } from '../../shared/contract';
import type { Clock } from '../clock';

/**
 * The stage records of one job: which stage and install step are pending,
 * active, done, failed or skipped, and how long each took.
 */
export class StageTimeline {
  private readonly records: StageRecord[];
  private readonly startedAt = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    skipped: readonly StageName[],
  ) {
    this.records = STAGE_NAMES.map((name) => ({
      name,
      status: skipped.includes(name) ? 'skipped' : 'pending',
      ms: null,
      ...(name === 'install' ? { steps: INSTALL_STEPS.map((step) => ({ name: step, status: 'pending' as StageStatus, ms: null })) } : {}),
    }));
  }

  /** A stage that ran before this job began (an update job's download): recorded as it ended. */
  recordEarlier(stage: StageName, status: 'done' | 'failed' | 'skipped', ms: number | null): void {
    const record = this.stage(stage);
    record.status = status;
    record.ms = ms;
  }

  begin(stage: StageName, step?: InstallStep): void {
    const record = this.stage(stage);
    if (record.status !== 'active') {
      record.status = 'active';
      this.startedAt.set(stage, this.clock.now());
    }
    if (step) {
      this.step(step).status = 'active';
      this.startedAt.set(`install.${step}`, this.clock.now());
    }
  }

  endStep(step: InstallStep, status: 'done' | 'failed'): void {
    const record = this.step(step);
    record.status = status;
    record.ms = this.elapsed(`install.${step}`);
  }

  endStage(stage: StageName, status: 'done' | 'failed'): void {
    const record = this.stage(stage);
    if (record.status !== 'active') return;
    record.status = status;
    record.ms = this.elapsed(stage);
  }

  /** At the end of a job: whatever never ran is skipped, whatever still runs failed. */
  close(): void {
    for (const record of this.records) {
      for (const step of record.steps ?? []) if (step.status === 'pending') step.status = 'skipped';
      if (record.status === 'active') this.endStage(record.name, 'failed');
      if (record.status === 'pending') record.status = 'skipped';
    }
  }

  snapshot(): StageRecord[] {
    return this.records.map((r) => ({ ...r, ...(r.steps ? { steps: r.steps.map((s) => ({ ...s })) } : {}) }));
  }

  private elapsed(key: string): number {
    return Math.max(0, this.clock.now() - (this.startedAt.get(key) ?? this.clock.now()));
  }

  private stage(name: StageName): StageRecord {
    return this.records.find((r) => r.name === name)!;
  }

  private step(name: InstallStep) {
    return this.stage('install').steps!.find((s) => s.name === name)!;
  }
}
