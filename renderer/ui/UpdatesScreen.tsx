import { useShallow } from 'zustand/react/shallow';
import type { JobView, StageRecord, StageStatus } from '../../electron/shared/contract';
import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';
import { batchJobs, batchTotals, withUpdateReports } from './batch-totals';
import { ErrorPanel } from './ErrorPanel';
import { formatBytes, formatDuration } from './format';
import { newestJobIds, offersRetry } from './job-retry';
import { jobStatusKey, jobStatusTone } from './job-status';
import { RetryButton } from './RetryButton';
import { TransferProgress } from './TransferProgress';

/** The stages as a row of marks: where each job is, readable at a glance across many rows. */
function StageStrip({ stages }: { stages: StageRecord[] }) {
  const t = useT();
  const items = stages
    .filter((s) => s.status !== 'skipped')
    .flatMap((s): { key: string; label: string; status: StageStatus }[] => (s.name === 'install' && s.steps?.length ? s.steps.map((step) => ({ key: step.name, label: t.job.step[step.name], status: step.status })) : [{ key: s.name, label: t.job.stage[s.name], status: s.status }]));
  return (
    <ol className="strip">
      {items.map((item) => (
        <li key={item.key} className={`strip-item tl-${item.status}`} data-stage={item.key} data-status={item.status}>
          <span className={`mark mark-${item.status}`} aria-hidden="true" />
          <span>{item.label}</span>
          <span className="visually-hidden">: {t.job.status[item.status]}</span>
        </li>
      ))}
    </ol>
  );
}

/** Which terminal, which firmware: from the job's report once it ended, else from the terminal as last identified. */
function useRowFacts(job: JobView) {
  const t = useT();
  const device = useConsole((s) => s.devices[job.address]?.info ?? null);
  const target = useConsole((s) => s.updateChecks[job.address]?.route?.version ?? null);
  const update = useConsole((s) => s.updateReports[job.id]);
  const report = job.state.kind === 'done' ? job.state.report : null;
  const model = report?.model || device?.model || '';
  const serial = report?.serial || device?.serial || '';
  const from = report?.fromVersion || device?.firmwareVersion || '';
  const to = report?.toVersion || target || '';
  const facts = [job.imageName, from && to ? t.history.versions(from, to) : from];
  if (update?.delta && update.bytesSaved > 0) facts.push(t.updates.saved(formatBytes(update.bytesSaved)));
  if (report) facts.push(formatDuration(report.durationMs));
  return { model, serial, facts: facts.filter(Boolean) };
}

function UpdateRow({ job, retry }: { job: JobView; retry: boolean }) {
  const t = useT();
  const { model, serial, facts } = useRowFacts(job);
  const status = jobStatusKey(job.state);
  const progress = job.state.kind === 'installing' && job.state.progress ? job.state.progress : null;
  const error = job.state.kind === 'done' ? job.state.report.error : job.state.kind === 'rolling-back' ? job.state.error : null;
  return (
    <li className={`update-row update-row-${jobStatusTone(status)}`} data-job-id={job.id} data-address={job.address}>
      <div className="update-row-head">
        <div className="update-row-title">
          <span className="job-item-title">
            {model} <span className="mono">{serial}</span>
          </span>
          <span className="mono muted">{job.address}</span>
        </div>
        <span className={`tag tag-${jobStatusTone(status)}`}>{t.jobState[status]}</span>
      </div>
      <p className="update-row-facts">{facts.join(' · ')}</p>
      <StageStrip stages={job.stages} />
      {progress && <TransferProgress progress={progress} />}
      {error && <ErrorPanel error={error} />}
      {retry && <RetryButton job={job} />}
    </li>
  );
}

/** The batch at a glance: succeeded and failed shares of all its terminals (the numbers are in the totals beside it). */
function BatchBar({ done, failed, total }: { done: number; failed: number; total: number }) {
  const share = (n: number) => `${(100 * n) / Math.max(1, total)}%`;
  return (
    <div className="batch-bar" aria-hidden="true" data-testid="batch-bar">
      <span className="batch-bar-ok" style={{ width: share(done - failed) }} />
      <span className="batch-bar-bad" style={{ width: share(failed) }} />
    </div>
  );
}

export function UpdatesScreen() {
  const t = useT();
  const liveJobs = useConsole(useShallow((s) => s.jobOrder.map((id) => s.jobs[id]).filter((j): j is JobView => j !== undefined)));
  const reports = useConsole((s) => s.updateReports);
  const jobs = withUpdateReports(liveJobs, reports);
  const batch = useConsole((s) => s.batch);
  const members = batchJobs(jobs, batch);
  const totals = batchTotals(jobs, batch);
  const newest = newestJobIds(jobs);
  return (
    <section className="panel" aria-labelledby="screen-heading">
      <div className="panel-head">
        <h2 id="screen-heading" tabIndex={-1}>
          {t.updates.heading}
        </h2>
        {members.length > 0 && (
          <p className="totals" role="status" data-testid="batch-totals">
            {t.updates.batchTotals(totals.done, totals.total, totals.failed)}
            {totals.bytesPerSecond > 0 && <>, {t.updates.batchSpeed(formatBytes(totals.bytesPerSecond))}</>}
          </p>
        )}
      </div>
      {members.length > 0 && <BatchBar done={totals.done} failed={totals.failed} total={totals.total} />}
      {members.length === 0 ? (
        <p className="empty">{t.updates.empty}</p>
      ) : (
        <ul className="update-rows">
          {members.map((job) => (
            <UpdateRow key={job.id} job={job} retry={offersRetry(job, newest)} />
          ))}
        </ul>
      )}
    </section>
  );
}
