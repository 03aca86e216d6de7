import { useShallow } from 'zustand/react/shallow';
import type { JobView, StageRecord, StageStatus } from '../../electron/shared/contract';
import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';
import { batchJobs, batchTotals, withUpdateReports } from './batch-totals';
import { ErrorPanel } from './ErrorPanel';
import { formatBytes } from './format';
import { jobStatusKey, jobStatusTone } from './job-status';
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

function UpdateRow({ job }: { job: JobView }) {
  const t = useT();
  const report = useConsole((s) => s.updateReports[job.id]);
  const status = jobStatusKey(job.state);
  const progress = job.state.kind === 'installing' && job.state.progress ? job.state.progress : null;
  const error = job.state.kind === 'done' ? job.state.report.error : job.state.kind === 'rolling-back' ? job.state.error : null;
  return (
    <li className="update-row" data-job-id={job.id} data-address={job.address}>
      <div className="update-row-head">
        <div>
          <span className="job-item-title">{job.imageName}</span> <span className="mono muted">{job.address}</span>
        </div>
        <span className={`tag tag-${jobStatusTone(status)}`}>{t.jobState[status]}</span>
      </div>
      <StageStrip stages={job.stages} />
      {progress && <TransferProgress progress={progress} />}
      {report?.delta && report.bytesSaved > 0 && <p className="muted">{t.updates.saved(formatBytes(report.bytesSaved))}</p>}
      {error && <ErrorPanel error={error} />}
    </li>
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
      {members.length === 0 ? (
        <p className="empty">{t.updates.empty}</p>
      ) : (
        <ul className="update-rows">
          {members.map((job) => (
            <UpdateRow key={job.id} job={job} />
          ))}
        </ul>
      )}
    </section>
  );
}
