import type { JobView } from '../../electron/shared/contract';
import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';
import { ErrorPanel } from './ErrorPanel';
import { formatBytes, formatDuration, formatTime } from './format';
import { newestJobIds, offersRetry } from './job-retry';
import { jobStatusKey, jobStatusTone } from './job-status';
import { JobLog } from './JobLog';
import { RetryButton } from './RetryButton';
import { StageTimeline } from './StageTimeline';
import { TerminalWaitCountdown } from './TerminalWaitCountdown';
import { TransferProgress } from './TransferProgress';

function JobOutcome({ job }: { job: JobView }) {
  const t = useT();
  if (job.state.kind !== 'done') return null;
  const { report } = job.state;
  const line =
    report.result === 'success'
      ? t.job.resultSuccess(report.toVersion, report.activeSlot, report.fromVersion)
      : report.result === 'rolled-back'
        ? t.job.resultRolledBack(report.fromVersion, report.activeSlot)
        : t.job.resultFailed(report.fromVersion, report.activeSlot);
  return (
    <div className={`outcome outcome-${report.result}`} data-testid="job-outcome">
      <p className="outcome-line">{line}</p>
      <p className="muted">{t.job.summary(formatBytes(report.bytesSent), formatDuration(report.durationMs))}</p>
    </div>
  );
}

export function JobDetail() {
  const t = useT();
  const job = useConsole((s) => (s.selectedJobId ? s.jobs[s.selectedJobId] : undefined));
  // As the engine judged it, while no later job runs on the terminal; a boolean, so progress elsewhere does not re-render this.
  const retry = useConsole((s) => {
    const selected = s.selectedJobId ? s.jobs[s.selectedJobId] : undefined;
    if (!selected) return false;
    const onTerminal = Object.values(s.jobs).filter((j) => j.address === selected.address);
    return offersRetry(selected, newestJobIds(onTerminal));
  });
  if (!job) {
    return (
      <section className="panel job-detail" aria-label={t.jobs.heading}>
        <p className="empty">{t.jobs.none}</p>
      </section>
    );
  }
  const status = jobStatusKey(job.state);
  const error = job.state.kind === 'done' ? job.state.report.error : job.state.kind === 'rolling-back' ? job.state.error : null;
  const progress = job.state.kind === 'installing' && job.state.step === 'write' ? job.state.progress : null;

  return (
    <section className="panel job-detail" aria-labelledby="job-heading" data-job-id={job.id}>
      <div className="job-head">
        <div>
          <h2 id="job-heading">{t.job.headingFor(job.imageName)}</h2>
          <p className="muted">
            {t.job.terminal}: <span className="mono">{job.address}</span> · {t.job.started} <time dateTime={job.createdAt}>{formatTime(job.createdAt)}</time>
          </p>
        </div>
        <span className={`tag tag-lg tag-${jobStatusTone(status)}`} role="status" data-testid="job-status">
          {t.jobState[status]}
        </span>
      </div>
      {progress && <TransferProgress progress={progress} />}
      {job.state.kind === 'waiting-for-terminal' && <TerminalWaitCountdown deadline={job.state.deadline} />}
      {job.state.kind === 'backing-up' && (
        <p className="notice notice-warn" data-testid="job-single-slot">
          {t.job.noInstantRollback}
        </p>
      )}
      <JobOutcome job={job} />
      {error && <ErrorPanel error={error} />}
      {retry && <RetryButton job={job} />}
      <StageTimeline stages={job.stages} />
      <JobLog jobId={job.id} />
    </section>
  );
}
