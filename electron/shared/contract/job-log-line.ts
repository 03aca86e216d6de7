import { z } from 'zod';
import { JobLogTextSchema } from '../job-log';

export const JobLogLineSchema = z.object({
  jobId: z.string(),
  /** ISO time. */
  at: z.string(),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  /** English, always: what the CLI prints, the database keeps and backend feedback and support bundles carry. */
  message: z.string(),
  /**
   * The same line as a catalogued text id with its arguments, for lines the
   * engine writes itself: a console shows it in its own language. Absent on
   * relayed lines (the terminal's own log) and on lines stored before ids existed.
   */
  text: JobLogTextSchema.optional(),
});
export type JobLogLine = z.infer<typeof JobLogLineSchema>;
