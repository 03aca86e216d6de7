import { useState } from 'react';
import type { JobView } from '../../electron/shared/contract';
import type { ErrorPayload } from '../../electron/shared/errors';
import { useT } from '../i18n/use-t';
import { consoleActions } from '../service/console-service';
import { toErrorPayload } from '../service/error-payload';
import { useConsole } from '../store/console-store';
import { InlineError } from './InlineError';

/** Starts a failed job again through the engine (same terminal, same image or update); a refusal shows next to it with its code. */
export function RetryButton({ job }: { job: JobView }) {
  const t = useT();
  const online = useConsole((s) => s.connection === 'online');
  const applyJob = useConsole((s) => s.applyJob);
  const selectJob = useConsole((s) => s.selectJob);
  // Stays busy once the engine accepted: a queued update has no job to show yet, and a second click would only be refused as busy.
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const retry = () => {
    setBusy(true);
    setError(null);
    consoleActions.retryJob(job.id).then(
      (started) => {
        // The new try is what the technician watches next (the job panel follows the selection).
        if (!started.job) return;
        applyJob(started.job);
        selectJob(started.job.id);
      },
      (err: unknown) => {
        setError(toErrorPayload(err));
        setBusy(false);
      },
    );
  };
  return (
    <div className="retry">
      <button type="button" className="btn btn-primary" disabled={!online || busy} onClick={retry} aria-label={t.updates.retryLabel(`${job.imageName} ${job.address}`)} data-testid="retry">
        {busy ? t.updates.retrying : t.updates.retry}
      </button>
      {error && <InlineError error={error} />}
    </div>
  );
}
