import { z } from 'zod';
import { STAGE_NAMES, type JobReport, type StageName } from './job';
import { HistoryFilterSchema } from './support';

/** Periods the History charts group jobs by. */
export const HistoryBucketSchema = z.enum(['hour', 'day']);
export type HistoryBucket = z.infer<typeof HistoryBucketSchema>;

/** `auto` picks hours when the jobs span at most this long, else days. */
export const HOURLY_SPAN_MAX_MS = 48 * 3600_000;
/** Empty periods are filled in between jobs (so gaps show as gaps) up to this many periods. */
export const MAX_FILLED_BUCKETS = 400;
const MINUTES_PER_DAY = 24 * 60;

export const HistoryStatsRequestSchema = HistoryFilterSchema.omit({ limit: true }).extend({
  bucket: z.enum(['auto', 'hour', 'day']).default('auto'),
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

/** Start of the hour or the user's day holding `ms`, as a UTC epoch. */
function periodStart(ms: number, bucket: HistoryBucket, utcOffsetMinutes: number): number {
  const size = bucket === 'hour' ? 3600_000 : MINUTES_PER_DAY * 60_000;
  const offset = utcOffsetMinutes * 60_000;
  return Math.floor((ms + offset) / size) * size - offset;
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
  const bucket: HistoryBucket = options.bucket === 'auto' ? (span <= HOURLY_SPAN_MAX_MS ? 'hour' : 'day') : options.bucket;
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
    const step = bucket === 'hour' ? 3600_000 : MINUTES_PER_DAY * 60_000;
    const firstStart = starts[0]!;
    const lastStart = starts[starts.length - 1]!;
    if ((lastStart - firstStart) / step < MAX_FILLED_BUCKETS) {
      for (let t = firstStart + step; t < lastStart; t += step) {
        const start = periodStart(t, bucket, options.utcOffsetMinutes);
        if (!groups.has(start)) groups.set(start, []);
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
