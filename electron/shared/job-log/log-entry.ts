import type { z } from 'zod';

/** One kind of engine-made log line: its arguments, its English words, and arguments a test renders every language with. */
export interface LogTextEntry<S extends z.ZodObject = z.ZodObject> {
  readonly args: S;
  /** The English line: what `JobLogLine.message` holds for the CLI, the database, backend feedback and support bundles. */
  readonly en: (args: z.infer<S>) => string;
  readonly example: z.infer<S>;
}

export function logEntry<S extends z.ZodObject>(args: S, en: (args: z.infer<S>) => string, example: z.infer<S>): LogTextEntry<S> {
  return { args, en, example };
}
