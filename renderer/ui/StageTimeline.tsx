import { useEffect, useState } from 'react';
import type { StageRecord, StageStatus, StepRecord } from '../../electron/shared/contract';
import { useT } from '../i18n/use-t';
import { formatDuration, formatElapsed } from './format';

function StatusMark({ status }: { status: StageStatus }) {
  return <span className={`mark mark-${status}`} aria-hidden="true" />;
}

/** Refresh of the running step's clock. */
const TICK_MS = 1000;

/**
 * Time since this page saw the step start. The engine reports a duration only
 * when a step ends; a reboot can take minutes, and a clock that moves shows
 * the console is still waiting rather than stuck.
 */
function RunningFor() {
  const t = useT();
  const [startedAt] = useState(() => Date.now());
  const [now, setNow] = useState(startedAt);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return <>{t.job.elapsed(formatElapsed(now - startedAt))}</>;
}

function Row({ label, status, ms, name }: { label: string; status: StageStatus; ms: number | null; name: string }) {
  const t = useT();
  return (
    <div className={`tl-row tl-${status}`} data-stage={name} data-status={status}>
      <StatusMark status={status} />
      <span className="tl-name">{label}</span>
      <span className="tl-status">{t.job.status[status]}</span>
      <span className="tl-ms">{ms !== null ? formatDuration(ms) : status === 'active' ? <RunningFor /> : ''}</span>
    </div>
  );
}

function Steps({ steps }: { steps: StepRecord[] }) {
  const t = useT();
  return (
    <ol className="tl-steps">
      {steps.map((step) => (
        <li key={step.name}>
          <Row label={t.job.step[step.name]} status={step.status} ms={step.ms} name={step.name} />
        </li>
      ))}
    </ol>
  );
}

/** The pipeline's stages in order; a manual flash skips the download, so skipped stages are left out. */
export function StageTimeline({ stages }: { stages: StageRecord[] }) {
  const t = useT();
  return (
    <section className="timeline" aria-labelledby="stages-heading">
      <h3 id="stages-heading">{t.job.stagesHeading}</h3>
      <ol>
        {stages
          .filter((stage) => stage.status !== 'skipped')
          .map((stage) => (
            <li key={stage.name}>
              <Row label={t.job.stage[stage.name]} status={stage.status} ms={stage.ms} name={stage.name} />
              {stage.steps && stage.steps.length > 0 && <Steps steps={stage.steps} />}
            </li>
          ))}
      </ol>
    </section>
  );
}
