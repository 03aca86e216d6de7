import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { JobView } from '../../electron/shared/contract';
import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';
import { batchTotals, withUpdateReports } from './batch-totals';

/** While a batch runs the window title counts it; when it ends a notice says how it went, on any screen. */
export function BatchProgress() {
  const t = useT();
  const batch = useConsole((s) => s.batch);
  const liveJobs = useConsole(useShallow((s) => s.jobOrder.map((id) => s.jobs[id]).filter((j): j is JobView => j !== undefined)));
  const reports = useConsole((s) => s.updateReports);
  const jobs = withUpdateReports(liveJobs, reports);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const totals = batch ? batchTotals(jobs, batch) : null;
  const finished = totals !== null && totals.total > 0 && totals.done === totals.total;

  const title = totals && !finished ? t.updates.windowTitle(totals.done, totals.total, t.app.title) : t.app.title;
  useEffect(() => {
    document.title = title;
  }, [title]);

  if (!batch || !finished || dismissed === batch.startedAt) return null;
  return (
    <div className={`toast ${totals.failed > 0 ? 'toast-warn' : 'toast-ok'}`} role="status" data-testid="batch-finished">
      <span>{(batch.kind === 'manual-flash' ? t.flash.batchFinished : t.updates.batchFinished)(totals.total, totals.failed)}</span>
      <button type="button" className="btn btn-quiet" onClick={() => setDismissed(batch.startedAt)}>
        {t.updates.dismiss}
      </button>
    </div>
  );
}
