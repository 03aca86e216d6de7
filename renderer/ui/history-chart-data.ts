import { STAGE_NAMES, type HistoryBucket, type HistoryStats, type StageName } from '../../electron/shared/contract';

/** One period as the charts plot it: counts, success rate in percent, median stage times in seconds. */
export interface ChartRow {
  start: string;
  label: string;
  jobs: number;
  succeeded: number;
  failed: number;
  rolledBack: number;
  /** Null for a period without jobs: the line shows a gap, not a drop to zero. */
  successRate: number | null;
  detect: number | null;
  download: number | null;
  verify: number | null;
  install: number | null;
  report: number | null;
}

/** Stages the duration chart stacks, in pipeline order. */
export const CHART_STAGES: readonly StageName[] = STAGE_NAMES;

/** A period's start as the axis names it, in the page's language: `28 Nov` by day or week (its Monday), `14:00` by hour (with the date once the hours span days). */
export function periodLabel(iso: string, bucket: HistoryBucket, locale: string, withDate: boolean): string {
  const date = new Date(iso);
  if (bucket !== 'hour') return date.toLocaleDateString(locale, { month: 'short', day: 'numeric' });
  const time = date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hour12: false });
  return withDate ? `${date.toLocaleDateString(locale, { month: 'short', day: 'numeric' })} ${time}` : time;
}

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);

export function chartRows(stats: HistoryStats, locale: string): ChartRow[] {
  const days = new Set(stats.periods.map((p) => new Date(p.start).toDateString()));
  return stats.periods.map((p) => ({
    start: p.start,
    label: periodLabel(p.start, stats.bucket, locale, days.size > 1),
    jobs: p.jobs,
    succeeded: p.succeeded,
    failed: p.failed,
    rolledBack: p.rolledBack,
    successRate: p.jobs ? Math.round((1000 * p.succeeded) / p.jobs) / 10 : null,
    detect: seconds(p.medianStageMs.detect),
    download: seconds(p.medianStageMs.download),
    verify: seconds(p.medianStageMs.verify),
    install: seconds(p.medianStageMs.install),
    report: seconds(p.medianStageMs.report),
  }));
}

/** Success over every job charted, as a percentage; null without jobs. */
export function overallSuccessRate(stats: HistoryStats): number | null {
  const jobs = stats.periods.reduce((n, p) => n + p.jobs, 0);
  return jobs ? Math.round((1000 * stats.periods.reduce((n, p) => n + p.succeeded, 0)) / jobs) / 10 : null;
}

/** The stage with the longest median over the periods, weighted by their jobs; null when no stage completed. */
export function slowestStage(stats: HistoryStats): { stage: StageName; ms: number } | null {
  let slowest: { stage: StageName; ms: number } | null = null;
  for (const stage of CHART_STAGES) {
    let weighted = 0;
    let jobs = 0;
    for (const p of stats.periods) {
      const ms = p.medianStageMs[stage];
      if (ms === null) continue;
      weighted += ms * p.jobs;
      jobs += p.jobs;
    }
    if (jobs > 0 && (!slowest || weighted / jobs > slowest.ms)) slowest = { stage, ms: weighted / jobs };
  }
  return slowest;
}
