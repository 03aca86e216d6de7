import { z } from 'zod';
import { SlotNameSchema } from './device';
import { ErrorPayloadSchema } from './error-payload';

/** Pipeline stages, in order. A manual flash skips `download`. */
export const STAGE_NAMES = ['detect', 'download', 'verify', 'install', 'report'] as const;
export const StageNameSchema = z.enum(STAGE_NAMES);
export type StageName = z.infer<typeof StageNameSchema>;

/** Sub-steps of `install`, in order. */
export const INSTALL_STEPS = ['write', 'readback', 'activate', 'reboot', 'confirm'] as const;
export const InstallStepSchema = z.enum(INSTALL_STEPS);
export type InstallStep = z.infer<typeof InstallStepSchema>;

export const StageStatusSchema = z.enum(['pending', 'active', 'done', 'failed', 'skipped']);
export type StageStatus = z.infer<typeof StageStatusSchema>;

export const StepRecordSchema = z.object({
  name: InstallStepSchema,
  status: StageStatusSchema,
  /** Duration once the step ended, else null. */
  ms: z.number().nonnegative().nullable(),
});
export type StepRecord = z.infer<typeof StepRecordSchema>;

export const StageRecordSchema = z.object({
  name: StageNameSchema,
  status: StageStatusSchema,
  ms: z.number().nonnegative().nullable(),
  /** Only for `install`. */
  steps: z.array(StepRecordSchema).optional(),
});
export type StageRecord = z.infer<typeof StageRecordSchema>;

export const ProgressSchema = z.object({
  bytesDone: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative(),
  /** Smoothed transfer rate. */
  bytesPerSecond: z.number().nonnegative(),
  /** Estimated time left, null while unknown. */
  etaMs: z.number().nonnegative().nullable(),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const JobResultSchema = z.enum(['success', 'failed', 'rolled-back']);
export type JobResult = z.infer<typeof JobResultSchema>;

/** The final report of a job: what `zuc flash --json` prints and what the backend receives. */
export const JobReportSchema = z.object({
  jobId: z.string(),
  address: z.string(),
  serial: z.string(),
  model: z.string(),
  imageName: z.string(),
  result: JobResultSchema,
  /** Catalogued code; `ZUC-0000` on success. */
  code: z.string(),
  error: ErrorPayloadSchema.nullable(),
  stages: z.array(StageRecordSchema),
  fromVersion: z.string(),
  toVersion: z.string(),
  /** Slot the terminal runs at the end of the job. */
  activeSlot: SlotNameSchema,
  bytesSent: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
  startedAt: z.string(),
  finishedAt: z.string(),
});
export type JobReport = z.infer<typeof JobReportSchema>;

/**
 * Where a job is. Every transition goes through the engine's one `setState`.
 *
 *   queued ─► detecting ─► verifying ─► installing(write ─► readback ─► activate ─► reboot ─► confirm)
 *                 │             │             │ before activate          │ after activate
 *                 │             │             ▼                          ▼
 *                 └─────────────┴──────────► reporting ◄──────────── rolling-back
 *                                               │
 *                                               ▼
 *                                             done(report)
 */
export const JobStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('queued') }),
  z.object({ kind: z.literal('detecting') }),
  z.object({ kind: z.literal('verifying') }),
  /** A single-slot terminal's running image is copied to the console before it is overwritten. */
  z.object({ kind: z.literal('backing-up') }),
  z.object({ kind: z.literal('installing'), step: InstallStepSchema, progress: ProgressSchema.nullable() }),
  z.object({ kind: z.literal('rolling-back'), error: ErrorPayloadSchema }),
  /** The link dropped during a resumable write: the job waits for the terminal until `deadline` (ISO time), then fails with LINK_LOST. */
  z.object({ kind: z.literal('waiting-for-terminal'), since: z.string(), deadline: z.string(), error: ErrorPayloadSchema }),
  z.object({ kind: z.literal('reporting'), result: JobResultSchema }),
  z.object({ kind: z.literal('done'), report: JobReportSchema }),
]);
export type JobState = z.infer<typeof JobStateSchema>;

export const JobViewSchema = z.object({
  id: z.string(),
  address: z.string(),
  imageName: z.string(),
  createdAt: z.string(),
  state: JobStateSchema,
  stages: z.array(StageRecordSchema),
  /**
   * True when `retryJob` would start this finished job again (its code is retryable, the
   * engine stored how it was started, no later job ran on its terminal); absent means false.
   * The engine sets it on every `done` view it sends; a file that changed since is found only
   * when Retry is asked (ZUC-8011).
   */
  canRetry: z.boolean().optional(),
});
export type JobView = z.infer<typeof JobViewSchema>;

/** A finished job from the history, as a job view shows it (Retry not judged: `canRetry` absent). */
export function finishedJobView(report: JobReport): JobView {
  return { id: report.jobId, address: report.address, imageName: report.imageName, createdAt: report.startedAt, state: { kind: 'done', report }, stages: report.stages };
}
