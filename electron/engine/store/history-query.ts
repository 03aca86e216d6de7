import type { HistoryFilter } from '../../shared/contract';

/** A WHERE clause over `jobs` for the History screen's filters, with its bound values. */
export function historyWhere(filter: Omit<HistoryFilter, 'limit'>): { sql: string; params: (string | number)[] } {
  const clauses = [`status = 'finished'`];
  const params: (string | number)[] = [];
  if (filter.terminal !== undefined) {
    clauses.push('(serial = ? OR address = ?)');
    params.push(filter.terminal, filter.terminal);
  }
  if (filter.model !== undefined) {
    clauses.push('model = ?');
    params.push(filter.model);
  }
  if (filter.result !== undefined) {
    clauses.push('result = ?');
    params.push(filter.result);
  }
  if (filter.code !== undefined) {
    // Codes are typed by hand in the filter box: `zuc-4002` and `4002` mean ZUC-4002.
    const code = filter.code.trim().toUpperCase();
    clauses.push('code = ?');
    params.push(code.startsWith('ZUC-') ? code : `ZUC-${code}`);
  }
  // Stored times are UTC `toISOString()` text, so after normalising the bounds a text compare orders them.
  if (filter.from !== undefined) {
    clauses.push('created_at >= ?');
    params.push(new Date(filter.from).toISOString());
  }
  if (filter.to !== undefined) {
    clauses.push('created_at <= ?');
    params.push(new Date(filter.to).toISOString());
  }
  return { sql: clauses.join(' AND '), params };
}
