import { useEffect } from 'react';
import { t } from '../i18n/en';
import { consoleActions } from '../service/console-service';
import { useConsole } from '../store/console-store';
import { formatTime } from './format';

const NO_LINES: never[] = [];

export function JobLog({ jobId }: { jobId: string }) {
  const lines = useConsole((s) => s.jobLogs[jobId] ?? NO_LINES);
  const online = useConsole((s) => s.connection === 'online');
  const setJobLog = useConsole((s) => s.setJobLog);

  useEffect(() => {
    if (!online) return;
    let current = true;
    consoleActions.loadJobLog(jobId).then(
      (fetched) => current && setJobLog(jobId, fetched),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [jobId, online, setJobLog]);

  return (
    <section className="job-log" aria-labelledby="log-heading">
      <h3 id="log-heading">{t.job.logHeading}</h3>
      {lines.length === 0 ? (
        <p className="muted">{t.job.logEmpty}</p>
      ) : (
        <ol className="log" tabIndex={0} aria-labelledby="log-heading">
          {lines.map((line, i) => (
            <li key={i} className={`log-${line.level}`}>
              <time dateTime={line.at}>{formatTime(line.at)}</time>
              <span className="log-level">{line.level}</span>
              <span className="log-msg">{line.message}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
