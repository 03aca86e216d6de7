import type { JobReport } from '../../electron/shared/contract';

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
