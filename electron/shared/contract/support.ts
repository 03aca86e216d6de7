import { z } from 'zod';
import { JobResultSchema } from './job';

const IsoTime = z
  .string()
  .max(64)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date/time');

/** What the History screen filters by; every field narrows, none required. */
export const HistoryFilterSchema = z.object({
  limit: z.number().int().positive().max(10_000).optional(),
  /** A terminal's serial number or address, matched exactly. */
  terminal: z.string().min(1).max(512).optional(),
  model: z.string().min(1).max(64).optional(),
  result: JobResultSchema.optional(),
  /** Catalogued code, e.g. `ZUC-4002`. */
  code: z.string().min(1).max(16).optional(),
  /** Jobs started at or after this time (ISO 8601). */
  from: IsoTime.optional(),
  /** Jobs started at or before this time (ISO 8601). */
  to: IsoTime.optional(),
});
export type HistoryFilter = z.infer<typeof HistoryFilterSchema>;

export const HistoryCsvSchema = z.object({ csv: z.string() });

/** How often a code ended a job, and on which terminals (serial numbers). */
export const ErrorStatSchema = z.object({
  code: z.string(),
  count: z.number().int().nonnegative(),
  serials: z.array(z.string()),
});
export type ErrorStat = z.infer<typeof ErrorStatSchema>;

/** A .tar.gz a support engineer receives: job report, logs, terminal identity, console version; no secrets. */
export const SupportBundleSchema = z.object({
  fileName: z.string(),
  data: z.instanceof(Uint8Array),
});
export type SupportBundle = z.infer<typeof SupportBundleSchema>;
