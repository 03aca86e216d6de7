import type { HistoryFilter as ServerHistoryFilter, JobReport } from '../../electron/shared/contract';

export interface HistoryFilter {
  /** Part of the serial or address. */
  terminal: string;
  model: string;
  result: '' | JobReport['result'];
  /** Part of the code, case-insensitive. */
  code: string;
  /** `YYYY-MM-DD`, inclusive, in local time; '' for no bound. */
  from: string;
  to: string;
}

export const NO_FILTER: HistoryFilter = { terminal: '', model: '', result: '', code: '', from: '', to: '' };

function localDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The reports a filter keeps, in the order given. */
export function filterHistory(reports: JobReport[], f: HistoryFilter): JobReport[] {
  const terminal = f.terminal.trim().toLowerCase();
  const code = f.code.trim().toLowerCase();
  return reports.filter((r) => {
    if (terminal && !r.serial.toLowerCase().includes(terminal) && !r.address.toLowerCase().includes(terminal)) return false;
    if (f.model && r.model !== f.model) return false;
    if (f.result && r.result !== f.result) return false;
    if (code && !r.code.toLowerCase().includes(code)) return false;
    const day = localDay(r.startedAt);
    if (f.from && day < f.from) return false;
    if (f.to && day > f.to) return false;
    return true;
  });
}

/** The engine's filter for the CSV export: the same fields, dates as whole local days, blanks left out. */
export function toServerFilter(f: HistoryFilter): ServerHistoryFilter {
  const server: ServerHistoryFilter = {};
  if (f.terminal.trim()) server.terminal = f.terminal.trim();
  if (f.model) server.model = f.model;
  if (f.result) server.result = f.result;
  if (f.code.trim()) server.code = f.code.trim().toUpperCase();
  if (f.from) server.from = new Date(`${f.from}T00:00:00`).toISOString();
  if (f.to) server.to = new Date(`${f.to}T23:59:59.999`).toISOString();
  return server;
}
