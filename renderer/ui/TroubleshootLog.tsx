import { useId, useMemo, useState } from 'react';
import type { ErrorPayload } from '../../electron/shared/errors';
import { useT } from '../i18n/use-t';
import { consoleActions } from '../service/console-service';
import { toErrorPayload } from '../service/error-payload';
import { useConsole } from '../store/console-store';
import { download } from './download';
import { formatTime } from './format';
import { InlineError } from './InlineError';
import { jobStatusKey } from './job-status';
import { jobLogGroups, LOG_LEVELS, type JobLogGroup, type LogLevel } from './log-filter';
import { LogLine } from './LogLine';
import { TerminalLogFilter } from './TerminalLogFilter';
import { jobsOnTerminal } from './terminal-log';
import { useJobLogs } from './use-job-log';

/** Jobs read at once for a terminal's whole log; older ones stay a choice in the job select. */
export const TERMINAL_LOG_JOBS = 20;

/** Several jobs' logs in one scrolling box, newest job first, each under a line naming the job. */
function JobLogGroups({ groups, labelledBy }: { groups: JobLogGroup[]; labelledBy: string }) {
  const t = useT();
  const jobs = useConsole((s) => s.jobs);
  return (
    <div className="log log-tall log-grouped" tabIndex={0} role="region" aria-labelledby={labelledBy}>
      {groups.map(({ jobId, lines }) => {
        const job = jobs[jobId];
        const head = job ? `${job.imageName} · ${formatTime(job.createdAt)} · ${t.jobState[jobStatusKey(job.state)]}` : jobId;
        return (
          <section key={jobId} className="log-job" data-job-id={jobId} aria-label={head}>
            <h4 className="log-job-head">{head}</h4>
            <ol className="log-lines">
              {lines.map((line, i) => (
                <LogLine key={i} line={line} />
              ))}
            </ol>
          </section>
        );
      })}
    </div>
  );
}

/** The Troubleshoot log: one job, or every job of the terminal it was opened for, at the lowest level chosen. */
export function TroubleshootLog() {
  const t = useT();
  const id = useId();
  const jobs = useConsole((s) => s.jobs);
  const jobOrder = useConsole((s) => s.jobOrder);
  const terminal = useConsole((s) => s.logTerminal);
  const online = useConsole((s) => s.connection === 'online');
  const [jobId, setJobId] = useState<string>('');
  const [minLevel, setMinLevel] = useState<LogLevel>('debug');
  const terminalJobs = useMemo(() => (terminal ? jobsOnTerminal(terminal, jobOrder, jobs) : []), [terminal, jobOrder, jobs]);
  const offered = terminal ? terminalJobs : jobOrder;
  // With a terminal filter the empty choice reads all its jobs; without one the newest job is shown.
  const chosen = offered.includes(jobId) ? jobId : terminal ? '' : (jobOrder[0] ?? '');
  const shownJobs = chosen ? [chosen] : terminalJobs.slice(0, TERMINAL_LOG_JOBS);
  const logs = useJobLogs(shownJobs);
  const groups = jobLogGroups(shownJobs, logs, minLevel);
  const bundleJob = chosen || terminalJobs[0] || '';

  const [bundling, setBundling] = useState(false);
  const [bundleError, setBundleError] = useState<ErrorPayload | null>(null);
  const exportBundle = () => {
    setBundling(true);
    setBundleError(null);
    consoleActions
      .exportSupportBundle(bundleJob)
      .then((b) => download(b.fileName, b.data as Uint8Array<ArrayBuffer>, 'application/gzip'), (err: unknown) => setBundleError(toErrorPayload(err)))
      .finally(() => setBundling(false));
  };
  const bundleHint = chosen ? t.troubleshoot.bundleHint : t.troubleshoot.bundleHintNewest;

  return (
    <section className="panel troubleshoot-log" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t.troubleshoot.logHeading}</h3>
      {terminal && <TerminalLogFilter address={terminal} />}
      {offered.length === 0 ? (
        <p className="empty">{terminal ? t.terminals.openLogNone : t.troubleshoot.noJobs}</p>
      ) : (
        <>
          <div className="filters">
            <label htmlFor={`${id}-job`}>{t.troubleshoot.logJob}</label>
            <select id={`${id}-job`} value={chosen} onChange={(e) => setJobId(e.target.value)}>
              {terminal && (
                <option value="">
                  {terminalJobs.length > TERMINAL_LOG_JOBS ? t.troubleshoot.newestJobs(TERMINAL_LOG_JOBS) : t.troubleshoot.allJobs(terminalJobs.length)}
                </option>
              )}
              {offered.map((jid) => (
                <option key={jid} value={jid}>
                  {jobs[jid]?.imageName} — {jobs[jid]?.address} ({jobs[jid] ? formatTime(jobs[jid].createdAt) : ''})
                </option>
              ))}
            </select>
            <label htmlFor={`${id}-level`}>{t.troubleshoot.logLevel}</label>
            <select id={`${id}-level`} value={minLevel} onChange={(e) => setMinLevel(e.target.value as LogLevel)}>
              {LOG_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {t.logLevel[l]}
                </option>
              ))}
            </select>
            <button type="button" className="btn" disabled={!online || bundling || !bundleJob} title={bundleHint} onClick={exportBundle}>
              {bundling ? t.troubleshoot.bundling : t.troubleshoot.bundle}
            </button>
          </div>
          <p className="hint">{bundleHint}</p>
          {bundleError && <InlineError error={bundleError} />}
          {groups.length === 0 ? (
            <p className="muted">{t.job.logEmpty}</p>
          ) : chosen ? (
            <ol className="log log-tall" tabIndex={0} aria-labelledby={`${id}-h`}>
              {groups[0]!.lines.map((line, i) => (
                <LogLine key={i} line={line} />
              ))}
            </ol>
          ) : (
            <JobLogGroups groups={groups} labelledBy={`${id}-h`} />
          )}
        </>
      )}
    </section>
  );
}
