import type { JobLogLine } from '../../electron/shared/contract';

export type LogLevel = JobLogLine['level'];

/** Log levels, lowest first: the order the "lowest level shown" select offers them. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const satisfies readonly LogLevel[];

/** The lines at `minLevel` or above, in their order. */
export function linesAtOrAbove(lines: readonly JobLogLine[], minLevel: LogLevel): JobLogLine[] {
  const floor = LOG_LEVELS.indexOf(minLevel);
  return lines.filter((l) => LOG_LEVELS.indexOf(l.level) >= floor);
}

/** One job's part of a log that spans several jobs. */
export interface JobLogGroup {
  jobId: string;
  lines: JobLogLine[];
}

/**
 * The log of several jobs, one group per job in the order of `jobIds`, each
 * with its lines at `minLevel` or above; a job with no such line is left out.
 */
export function jobLogGroups(jobIds: readonly string[], logs: Readonly<Record<string, readonly JobLogLine[]>>, minLevel: LogLevel): JobLogGroup[] {
  return jobIds.map((jobId) => ({ jobId, lines: linesAtOrAbove(logs[jobId] ?? [], minLevel) })).filter((g) => g.lines.length > 0);
}
