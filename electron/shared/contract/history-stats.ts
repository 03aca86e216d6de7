import { z } from 'zod';
import { STAGE_NAMES, type JobReport, type StageName } from './job';
import { HistoryFilterSchema } from './support';

/** Periods the History charts group jobs by. Weeks start on Monday. */
export const HistoryBucketSchema = z.enum(['hour', 'day', 'week']);
export type HistoryBucket = z.infer<typeof HistoryBucketSchema>;

/** `auto` picks hours when the jobs span at most this long, days up to DAILY_SPAN_MAX_MS, else weeks. */
export const HOURLY_SPAN_MAX_MS = 48 * 3600_000;
export const DAILY_SPAN_MAX_MS = 92 * 24 * 3600_000;
/** Empty periods are filled in between jobs (so gaps show as gaps) up to this many periods. */
export const MAX_FILLED_BUCKETS = 400;
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
const STEP_MS: Record<HistoryBucket, number> = { hour: HOUR_MS, day: DAY_MS, week: 7 * DAY_MS };
/** 1970-01-01, day 0 of the epoch, was a Thursday: Monday is three days before it. */
const EPOCH_DAYS_AFTER_MONDAY = 3;

export const HistoryStatsRequestSchema = HistoryFilterSchema.omit({ limit: true }).extend({
  bucket: z.enum(['auto', 'hour', 'day', 'week']).default('auto'),
  /** The user's clock, in minutes east of UTC: days start at the user's midnight. */
  utcOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).default(0),
});
export type HistoryStatsRequest = z.input<typeof HistoryStatsRequestSchema>;

const Ms = z.number().nonnegative().nullable();
export const HistoryPeriodSchema = z.object({
  /** ISO time the period starts. */
  start: z.string(),
  jobs: z.number().int().nonnegative(),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  rolledBack: z.number().int().nonnegative(),
  /** Median time of each stage over the period's jobs that completed it; null when none did. */
  medianStageMs: z.object({ detect: Ms, download: Ms, verify: Ms, install: Ms, report: Ms }),
});
export type HistoryPeriod = z.infer<typeof HistoryPeriodSchema>;

export const HistoryStatsSchema = z.object({
  bucket: HistoryBucketSchema,
  jobs: z.number().int().nonnegative(),
  /** Oldest first. */
  periods: z.array(HistoryPeriodSchema),
});
export type HistoryStats = z.infer<typeof HistoryStatsSchema>;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Start of the hour, the user's day or the user's week (from Monday) holding `ms`, as a UTC epoch. */
function periodStart(ms: number, bucket: HistoryBucket, utcOffsetMinutes: number): number {
  const offset = utcOffsetMinutes * 60_000;
  if (bucket === 'hour') return Math.floor((ms + offset) / HOUR_MS) * HOUR_MS - offset;
  const day = Math.floor((ms + offset) / DAY_MS);
  const first = bucket === 'week' ? day - ((day + EPOCH_DAYS_AFTER_MONDAY) % 7) : day;
  return first * DAY_MS - offset;
}

/**
 * Jobs per hour or day: how many, how they ended, and the median time of
 * each stage. One function for the engine (whole history) and the page
 * (the jobs it holds), so both draw the same charts.
 */
export function aggregateHistory(reports: readonly JobReport[], options: { bucket: 'auto' | HistoryBucket; utcOffsetMinutes: number }): HistoryStats {
  const times = reports.map((r) => Date.parse(r.startedAt)).filter((t) => Number.isFinite(t));
  // A loop, not Math.max(...times): a long history would overflow the call stack's argument limit.
  let first = Infinity;
  let last = -Infinity;
  for (const t of times) {
    first = Math.min(first, t);
    last = Math.max(last, t);
  }
  const span = times.length ? last - first : 0;
  const bucket: HistoryBucket = options.bucket !== 'auto' ? options.bucket : span <= HOURLY_SPAN_MAX_MS ? 'hour' : span <= DAILY_SPAN_MAX_MS ? 'day' : 'week';
  const groups = new Map<number, JobReport[]>();
  for (const report of reports) {
    const t = Date.parse(report.startedAt);
    if (!Number.isFinite(t)) continue;
    const start = periodStart(t, bucket, options.utcOffsetMinutes);
    const group = groups.get(start);
    if (group) group.push(report);
    else groups.set(start, [report]);
  }
  const starts = [...groups.keys()].sort((a, b) => a - b);
  if (starts.length > 1) {
    const step = STEP_MS[bucket];
    const firstStart = starts[0]!;
    const lastStart = starts[starts.length - 1]!;
    if ((lastStart - firstStart) / step < MAX_FILLED_BUCKETS) {
      for (let t = firstStart + step; t < lastStart; t += step) {
        if (!groups.has(t)) groups.set(t, []);
      }
    }
  }
  const periods = [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, jobs]): HistoryPeriod => {
      const stageMs = (name: StageName) => median(jobs.flatMap((j) => j.stages.filter((s) => s.name === name && s.status === 'done' && s.ms !== null).map((s) => s.ms!)));
      return {
        start: new Date(start).toISOString(),
        jobs: jobs.length,
        succeeded: jobs.filter((j) => j.result === 'success').length,
        failed: jobs.filter((j) => j.result === 'failed').length,
        rolledBack: jobs.filter((j) => j.result === 'rolled-back').length,
        medianStageMs: Object.fromEntries(STAGE_NAMES.map((name) => [name, stageMs(name)])) as HistoryPeriod['medianStageMs'],
      };
    });
  return { bucket, jobs: times.length, periods };
}
