import { useId } from 'react';
import { Bar, BarChart, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { HistoryStats } from '../../electron/shared/contract';
import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';
import { formatDuration } from './format';
import { CHART_STAGES, chartRows, overallSuccessRate, slowestStage, type ChartRow } from './history-chart-data';

const CHART_HEIGHT_PX = 220;
/** Above this many periods the success line is drawn without a dot per point: the dots would merge into a band. */
const MAX_DOTTED_POINTS = 45;
/** Series colours live in styles.css (one class per series), so both themes restyle them. */
const RESULT_SERIES = ['succeeded', 'failed', 'rolledBack'] as const;

type SeriesKey = (typeof RESULT_SERIES)[number] | 'successRate' | (typeof CHART_STAGES)[number];

function Legend({ items }: { items: { key: SeriesKey; label: string; line?: boolean }[] }) {
  return (
    <ul className="chart-legend" aria-hidden="true">
      {items.map((item) => (
        <li key={item.key}>
          <span className={`swatch series-${item.key}${item.line ? ' swatch-line' : ''}`} />
          {item.label}
        </li>
      ))}
    </ul>
  );
}

/** The tooltip as HTML with the same swatches as the legend; values formatted by the series' own unit. */
interface TooltipProps {
  active: boolean | undefined;
  payload: readonly { dataKey?: unknown; value?: unknown }[] | undefined;
  label: unknown;
  names: Record<string, string>;
  unit: (key: string, value: number) => string;
}

function ChartTooltip({ active, payload, label, names, unit }: TooltipProps) {
  if (!active || !payload?.length) return null;
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-label">{String(label)}</p>
      <ul>
        {payload
          .filter((p) => typeof p.value === 'number')
          .map((p) => (
            <li key={String(p.dataKey)}>
              <span className={`swatch series-${String(p.dataKey)}`} />
              <span>{names[String(p.dataKey)]}</span>
              <span className="num">{unit(String(p.dataKey), p.value as number)}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}

/** The same numbers as the charts, for screen readers and for copying: a table behind a disclosure. */
function ChartTable({ rows, unit }: { rows: ChartRow[]; unit: string }) {
  const t = useT();
  const c = t.history.charts;
  const cell = (s: number | null) => (s === null ? '–' : formatDuration(s * 1000));
  return (
    <details className="chart-data">
      <summary>{c.showTable}</summary>
      <div className="table-wrap">
        <table className="terminals chart-table">
          <caption>{c.tableCaption(unit)}</caption>
          <thead>
            <tr>
              <th scope="col">{c.period}</th>
              <th scope="col">{c.jobs}</th>
              <th scope="col">{c.succeeded}</th>
              <th scope="col">{c.failed}</th>
              <th scope="col">{c.rolledBack}</th>
              <th scope="col">{c.successRate}</th>
              {CHART_STAGES.map((s) => (
                <th scope="col" key={s}>
                  {t.job.stage[s]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.start}>
                <th scope="row">
                  <time dateTime={r.start}>{r.label}</time>
                </th>
                <td className="num">{r.jobs}</td>
                <td className="num">{r.succeeded}</td>
                <td className="num">{r.failed}</td>
                <td className="num">{r.rolledBack}</td>
                <td className="num">{r.successRate === null ? '–' : `${r.successRate} %`}</td>
                {CHART_STAGES.map((s) => (
                  <td className="num" key={s}>
                    {cell(r[s])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/**
 * Success rate and stage times over time for the filtered history: per hour
 * for a short range, per day otherwise. Each chart has a heading and a
 * one-line summary for screen readers; the numbers are also a table.
 */
export function HistoryCharts({ stats, note }: { stats: HistoryStats; note?: string }) {
  const t = useT();
  const c = t.history.charts;
  const language = useConsole((s) => s.language);
  const id = useId();
  const rows = chartRows(stats, language);
  const unit = { hour: c.perHour, day: c.perDay, week: c.perWeek }[stats.bucket];
  const rate = overallSuccessRate(stats);
  const slowest = slowestStage(stats);
  const names: Record<string, string> = { succeeded: c.succeeded, failed: c.failed, rolledBack: c.rolledBack, successRate: c.successRate, ...t.job.stage };
  const successSummary = c.successSummary(stats.jobs, rate === null ? '–' : `${rate} %`, rows.length, unit);
  const stagesSummary = slowest ? c.stagesSummary(t.job.stage[slowest.stage], formatDuration(slowest.ms)) : c.noStageTimes;
  const axisTick = { fontSize: 12 };

  if (stats.jobs === 0) {
    return (
      <section className="charts" aria-labelledby={`${id}-heading`}>
        <h3 id={`${id}-heading`}>{c.heading}</h3>
        <p className="empty">{c.noData}</p>
      </section>
    );
  }
  return (
    <section className="charts" aria-labelledby={`${id}-heading`} data-testid="history-charts" data-bucket={stats.bucket}>
      <div className="charts-head">
        <h3 id={`${id}-heading`}>
          {c.heading} <span className="muted">· {unit}</span>
        </h3>
        {note && <p className="muted charts-note">{note}</p>}
      </div>
      <div className="charts-grid">
        <figure className="chart" aria-labelledby={`${id}-success`} aria-describedby={`${id}-success-summary`} data-testid="chart-success">
          <figcaption>
            <span id={`${id}-success`} className="chart-title">
              {c.successHeading}
            </span>
            <span id={`${id}-success-summary`} className="chart-summary" data-testid="chart-success-summary">
              {successSummary}
            </span>
          </figcaption>
          <Legend items={[...RESULT_SERIES.map((key) => ({ key, label: names[key]! })), { key: 'successRate' as const, label: c.successRate, line: true }]} />
          <div className="chart-plot" aria-hidden="true">
            <ResponsiveContainer width="100%" height={CHART_HEIGHT_PX}>
              <ComposedChart data={rows} margin={{ top: 8, right: 4, bottom: 0, left: -12 }} accessibilityLayer={false}>
                <CartesianGrid vertical={false} className="chart-grid" />
                <XAxis dataKey="label" tick={axisTick} tickLine={false} minTickGap={16} />
                <YAxis yAxisId="jobs" allowDecimals={false} tick={axisTick} tickLine={false} axisLine={false} />
                <YAxis yAxisId="rate" orientation="right" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} unit="%" tick={axisTick} tickLine={false} axisLine={false} width={48} />
                <Tooltip cursor={{ className: 'chart-cursor' }} content={(p) => <ChartTooltip active={p.active} payload={p.payload} label={p.label} names={names} unit={(key, v) => (key === 'successRate' ? `${v} %` : String(v))} />} isAnimationActive={false} />
                {RESULT_SERIES.map((key) => (
                  <Bar key={key} dataKey={key} name={names[key]} stackId="result" yAxisId="jobs" className={`series-${key}`} maxBarSize={36} isAnimationActive={false} />
                ))}
                <Line dataKey="successRate" name={c.successRate} yAxisId="rate" type="linear" className="series-successRate" strokeWidth={2} dot={rows.length <= MAX_DOTTED_POINTS && { r: 3 }} connectNulls={false} isAnimationActive={false} />
              </ComposedChart>
            </ResponsiveContainer>
          </div>
        </figure>
        <figure className="chart" aria-labelledby={`${id}-stages`} aria-describedby={`${id}-stages-summary`} data-testid="chart-stages">
          <figcaption>
            <span id={`${id}-stages`} className="chart-title">
              {c.stagesHeading}
            </span>
            <span id={`${id}-stages-summary`} className="chart-summary" data-testid="chart-stages-summary">
              {stagesSummary}
            </span>
          </figcaption>
          <Legend items={CHART_STAGES.map((key) => ({ key, label: t.job.stage[key] }))} />
          <div className="chart-plot" aria-hidden="true">
            <ResponsiveContainer width="100%" height={CHART_HEIGHT_PX}>
              <BarChart data={rows} margin={{ top: 8, right: 4, bottom: 0, left: -12 }} accessibilityLayer={false}>
                <CartesianGrid vertical={false} className="chart-grid" />
                <XAxis dataKey="label" tick={axisTick} tickLine={false} minTickGap={16} />
                <YAxis unit=" s" tick={axisTick} tickLine={false} axisLine={false} width={56} />
                <Tooltip cursor={{ className: 'chart-cursor' }} content={(p) => <ChartTooltip active={p.active} payload={p.payload} label={p.label} names={names} unit={(_key, v) => formatDuration(v * 1000)} />} isAnimationActive={false} />
                {CHART_STAGES.map((key) => (
                  <Bar key={key} dataKey={key} name={names[key]} stackId="stages" className={`series-${key}`} maxBarSize={36} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        </figure>
      </div>
      <ChartTable rows={rows} unit={unit} />
    </section>
  );
}
