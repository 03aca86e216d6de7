import type { JobReport } from '../../shared/contract';

/** The columns of a history export, in order, with how each is read from a report. */
const COLUMNS: readonly [string, (r: JobReport) => string | number][] = [
  ['job_id', (r) => r.jobId],
  ['started_at', (r) => r.startedAt],
  ['finished_at', (r) => r.finishedAt],
  ['address', (r) => r.address],
  ['serial', (r) => r.serial],
  ['model', (r) => r.model],
  ['image', (r) => r.imageName],
  ['from_version', (r) => r.fromVersion],
  ['to_version', (r) => r.toVersion],
  ['result', (r) => r.result],
  ['code', (r) => r.code],
  ['error', (r) => (r.error ? `${r.error.title}${r.error.detail ? `: ${r.error.detail}` : ''}` : '')],
  ['active_slot', (r) => r.activeSlot],
  ['duration_ms', (r) => Math.round(r.durationMs)],
  ['bytes_sent', (r) => r.bytesSent],
];

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Past jobs as CSV text (header row, CRLF line ends as RFC 4180 asks) for a spreadsheet. */
export function historyCsv(reports: readonly JobReport[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const report of reports) lines.push(COLUMNS.map(([, read]) => csvField(read(report))).join(','));
  return lines.map((line) => `${line}\r\n`).join('');
}
