import type { Progress } from '../../electron/shared/contract';
import { useT } from '../i18n/use-t';
import { formatBytes, formatDuration } from './format';

export function TransferProgress({ progress }: { progress: Progress }) {
  const t = useT();
  const { bytesDone, bytesTotal, bytesPerSecond, etaMs } = progress;
  const percent = bytesTotal > 0 ? Math.min(100, (bytesDone / bytesTotal) * 100) : 0;
  const valueText = t.job.progress(formatBytes(bytesDone), formatBytes(bytesTotal));
  return (
    <div className="progress" data-testid="write-progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={t.job.progressLabel}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(percent)}
        aria-valuetext={valueText}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="progress-meta">
        <span className="progress-percent">{t.job.percent(Math.floor(percent))}</span>
        <span>{valueText}</span>
        <span>{t.job.speed(formatBytes(bytesPerSecond))}</span>
        <span>{etaMs === null ? t.job.etaUnknown : t.job.eta(formatDuration(etaMs))}</span>
      </div>
    </div>
  );
}
