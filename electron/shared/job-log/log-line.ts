import type { JobLogLine } from '../contract/job-log-line';
import { englishLogText, type JobLogText } from './catalogue';

/** What a producer hands its job log: a catalogued text, or words it only relays (the terminal's, a server's). */
export type LogEntry = JobLogText | string;

/** A job log line from what a producer wrote: a catalogued text keeps its id and gets its English `message` from the catalogue. */
export function jobLogLine(jobId: string, at: string, level: JobLogLine['level'], entry: LogEntry): JobLogLine {
  if (typeof entry === 'string') return { jobId, at, level, message: entry };
  return { jobId, at, level, message: englishLogText(entry), text: entry };
}

/** An entry's English words: what an engine log or a server gets where no console shows it. */
export function englishEntry(entry: LogEntry): string {
  return typeof entry === 'string' ? entry : englishLogText(entry);
}
