import { useEffect, useLayoutEffect, useRef } from 'react';
import { useT } from '../i18n/use-t';
import { LogLine } from './LogLine';
import { useJobLog } from './use-job-log';

/** Distance from the bottom within which the log still counts as followed. */
const FOLLOW_SLACK_PX = 24;

export function JobLog({ jobId }: { jobId: string }) {
  const t = useT();
  const lines = useJobLog(jobId);
  const listRef = useRef<HTMLOListElement>(null);
  const following = useRef(true);

  // Keep the newest line in view while the technician has not scrolled up to read older ones.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && following.current) list.scrollTop = list.scrollHeight;
  }, [lines]);
  useEffect(() => {
    following.current = true;
  }, [jobId]);

  return (
    <section className="job-log" aria-labelledby="log-heading">
      <h3 id="log-heading">{t.job.logHeading}</h3>
      {lines.length === 0 ? (
        <p className="muted">{t.job.logEmpty}</p>
      ) : (
        <ol
          ref={listRef}
          className="log"
          tabIndex={0}
          aria-labelledby="log-heading"
          onScroll={(e) => {
            const el = e.currentTarget;
            following.current = el.scrollHeight - el.scrollTop - el.clientHeight <= FOLLOW_SLACK_PX;
          }}
        >
          {lines.map((line, i) => (
                <LogLine key={i} line={line} />
              ))}
        </ol>
      )}
    </section>
  );
}
