import { lazy, Suspense, useEffect, useId, useState } from 'react';
import { aggregateHistory, type HistoryStats, type JobReport } from '../../electron/shared/contract';
import type { ErrorPayload } from '../../electron/shared/errors';
import { useErrorText } from '../i18n/error-text';
import { useT } from '../i18n/use-t';
import { consoleActions } from '../service/console-service';
import { toErrorPayload } from '../service/error-payload';
import { useConsole } from '../store/console-store';
import { formatDuration } from './format';
import { download } from './download';
import { filterHistory, NO_FILTER, toServerFilter, type HistoryFilter } from './history-filter';
import { InlineError } from './InlineError';
import { jobStatusTone } from './job-status';
import { ColumnHeads } from './ColumnHeads';

/** The chart library is loaded when History is first opened, not with the console's first screen. */
const HistoryCharts = lazy(() => import('./HistoryCharts').then((m) => ({ default: m.HistoryCharts })));

/** Reports read for the table; filtering happens on these in the page. */
const HISTORY_LIMIT = 2_000;

/** The user's clock in minutes east of UTC: chart days start at the user's midnight. */
function utcOffsetMinutes(): number {
  return -new Date().getTimezoneOffset();
}

/**
 * The charts' numbers for the filtered jobs. While the page holds the whole
 * history they come from the table's own jobs (the same filter, to the job);
 * a history longer than the page reads is summarised by the engine.
 */
function useHistoryStats(reports: JobReport[] | null, shown: JobReport[], filter: HistoryFilter): { stats: HistoryStats | null; whole: boolean; error: ErrorPayload | null } {
  const truncated = reports !== null && reports.length >= HISTORY_LIMIT;
  const [remote, setRemote] = useState<{ stats: HistoryStats | null; error: ErrorPayload | null }>({ stats: null, error: null });
  useEffect(() => {
    if (!truncated) return;
    let current = true;
    consoleActions.loadHistoryStats({ ...toServerFilter(filter), bucket: 'auto', utcOffsetMinutes: utcOffsetMinutes() }).then(
      (stats) => current && setRemote({ stats, error: null }),
      (err: unknown) => current && setRemote({ stats: null, error: toErrorPayload(err) }),
    );
    return () => {
      current = false;
    };
  }, [truncated, filter, reports]);
  if (!reports) return { stats: null, whole: false, error: null };
  if (truncated) return { ...remote, whole: true };
  return { stats: aggregateHistory(shown, { bucket: 'auto', utcOffsetMinutes: utcOffsetMinutes() }), whole: false, error: null };
}

function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { hour12: false });
}

function Filters({ filter, onChange, models }: { filter: HistoryFilter; onChange(f: HistoryFilter): void; models: string[] }) {
  const t = useT();
  const id = useId();
  const set = (patch: Partial<HistoryFilter>) => onChange({ ...filter, ...patch });
  return (
    <fieldset className="filters history-filters">
      <legend className="visually-hidden">{t.history.filters}</legend>
      <div className="filter">
        <label htmlFor={`${id}-terminal`}>{t.history.terminal}</label>
        <input id={`${id}-terminal`} type="search" value={filter.terminal} placeholder={t.history.terminalHint} onChange={(e) => set({ terminal: e.target.value })} />
      </div>
      <div className="filter">
        <label htmlFor={`${id}-model`}>{t.history.model}</label>
        <select id={`${id}-model`} value={filter.model} onChange={(e) => set({ model: e.target.value })}>
          <option value="">{t.history.any}</option>
          {models.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor={`${id}-result`}>{t.history.result}</label>
        <select id={`${id}-result`} value={filter.result} onChange={(e) => set({ result: e.target.value as HistoryFilter['result'] })}>
          <option value="">{t.history.any}</option>
          <option value="success">{t.jobState.success}</option>
          <option value="failed">{t.jobState.failed}</option>
          <option value="rolled-back">{t.jobState['rolled-back']}</option>
        </select>
      </div>
      <div className="filter">
        <label htmlFor={`${id}-code`}>{t.history.code}</label>
        <input id={`${id}-code`} type="search" className="filter-code" value={filter.code} placeholder="ZUC-" onChange={(e) => set({ code: e.target.value })} />
      </div>
      <div className="filter">
        <label htmlFor={`${id}-from`}>{t.history.from}</label>
        <input id={`${id}-from`} type="date" value={filter.from} onChange={(e) => set({ from: e.target.value })} />
      </div>
      <div className="filter">
        <label htmlFor={`${id}-to`}>{t.history.to}</label>
        <input id={`${id}-to`} type="date" value={filter.to} onChange={(e) => set({ to: e.target.value })} />
      </div>
      <button type="button" className="btn btn-quiet" onClick={() => onChange(NO_FILTER)}>
        {t.history.clear}
      </button>
    </fieldset>
  );
}

export function HistoryScreen() {
  const t = useT();
  const textOf = useErrorText();
  const online = useConsole((s) => s.connection === 'online');
  // A job that just ended belongs in the history: read it again when one finishes.
  const finished = useConsole((s) => Object.values(s.jobs).filter((j) => j.state.kind === 'done').length);
  const [reports, setReports] = useState<JobReport[] | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [filter, setFilter] = useState<HistoryFilter>(NO_FILTER);
  const [exporting, setExporting] = useState(false);

  const exportCsv = () => {
    setExporting(true);
    setError(null);
    consoleActions
      .exportHistoryCsv(toServerFilter(filter))
      .then(({ csv }) => download(`zuc-history-${new Date().toISOString().slice(0, 10)}.csv`, csv, 'text/csv'), (err: unknown) => setError(toErrorPayload(err)))
      .finally(() => setExporting(false));
  };

  useEffect(() => {
    if (!online) return;
    let current = true;
    consoleActions.loadHistory(HISTORY_LIMIT).then(
      (r) => current && setReports([...r].sort((a, b) => b.startedAt.localeCompare(a.startedAt))),
      (err: unknown) => current && setError(toErrorPayload(err)),
    );
    return () => {
      current = false;
    };
  }, [online, finished]);

  const models = [...new Set((reports ?? []).map((r) => r.model))].sort();
  const shown = reports ? filterHistory(reports, filter) : [];
  const { stats, whole, error: statsError } = useHistoryStats(reports, shown, filter);
  return (
    <section className="panel" aria-labelledby="screen-heading">
      <div className="panel-head">
        <h2 id="screen-heading" tabIndex={-1}>
          {t.history.heading}
        </h2>
        <div className="toolbar">
          {reports && (
            <p className="muted" role="status" data-testid="history-count">
              {t.history.count(shown.length, reports.length)}
            </p>
          )}
          <button type="button" className="btn" disabled={!online || exporting || !reports?.length} onClick={exportCsv}>
            {exporting ? t.history.exporting : t.history.exportCsv}
          </button>
        </div>
      </div>
      <Filters filter={filter} onChange={setFilter} models={models} />
      {error && <InlineError error={error} />}
      {statsError && <InlineError error={statsError} />}
      {stats && (
        <Suspense fallback={<p className="empty">{t.history.loading}</p>}>
          <HistoryCharts stats={stats} {...(whole ? { note: t.history.charts.partial(HISTORY_LIMIT) } : {})} />
        </Suspense>
      )}
      {!reports ? (
        <p className="empty">{t.history.loading}</p>
      ) : shown.length === 0 ? (
        <p className="empty">{t.history.empty}</p>
      ) : (
        <div className="table-wrap">
          <table className="terminals history">
            <ColumnHeads labels={t.history.columns} />
            <tbody>
              {shown.map((r) => (
                <tr key={r.jobId} data-job-id={r.jobId}>
                  <td>
                    <time dateTime={r.startedAt}>{formatDateTime(r.startedAt)}</time>
                  </td>
                  <td>
                    <span className="mono">{r.serial}</span>
                    <span className="address">{r.address}</span>
                  </td>
                  <td>{r.model}</td>
                  <td className="wrap">{r.imageName}</td>
                  <td className="mono">{t.history.versions(r.fromVersion, r.toVersion)}</td>
                  <td>
                    <span className={`tag tag-${jobStatusTone(r.result)}`}>{t.jobState[r.result]}</span>
                  </td>
                  <td>
                    <code title={r.error ? textOf(r.error).title : undefined}>{r.code}</code>
                  </td>
                  <td className="num">{formatDuration(r.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
