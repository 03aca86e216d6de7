import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';
import { formatTime } from './format';
import { jobStatusKey, jobStatusTone } from './job-status';

function JobListItem({ jobId }: { jobId: string }) {
  const t = useT();
  const job = useConsole((s) => s.jobs[jobId]);
  const selected = useConsole((s) => s.selectedJobId === jobId);
  const selectJob = useConsole((s) => s.selectJob);
  if (!job) return null;
  const status = jobStatusKey(job.state);
  return (
    <li>
      <button type="button" className={selected ? 'job-item selected' : 'job-item'} aria-current={selected ? 'true' : undefined} onClick={() => selectJob(jobId)}>
        <span className="job-item-title">{job.imageName}</span>
        <span className="job-item-sub">{job.address}</span>
        <span className="job-item-meta">
          <span className={`tag tag-${jobStatusTone(status)}`}>{t.jobState[status]}</span>
          <time dateTime={job.createdAt}>{formatTime(job.createdAt)}</time>
        </span>
      </button>
    </li>
  );
}

export function JobList() {
  const t = useT();
  const jobIds = useConsole((s) => s.jobOrder);
  return (
    <section className="panel job-list" aria-labelledby="jobs-heading">
      <h2 id="jobs-heading">{t.jobs.heading}</h2>
      {jobIds.length === 0 ? (
        <p className="empty">{t.jobs.empty}</p>
      ) : (
        <ul aria-label={t.jobs.listLabel}>
          {jobIds.map((id) => (
            <JobListItem key={id} jobId={id} />
          ))}
        </ul>
      )}
    </section>
  );
}
