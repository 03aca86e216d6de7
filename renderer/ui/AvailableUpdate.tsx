import { useErrorText } from '../i18n/error-text';
import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';
import { formatBytes } from './format';

/**
 * What the last check found for one terminal: the route an update would take, full or delta, its size and saving,
 * and the newer packages left out because this console would refuse their signature.
 */
export function AvailableUpdate({ address }: { address: string }) {
  const t = useT();
  const textOf = useErrorText();
  const check = useConsole((s) => s.updateChecks[address]);
  if (!check) return <span className="muted">{t.updates.notChecked}</span>;
  const failures = check.failures.map((f) => (
    <span key={f.source} className="state-detail" title={textOf(f.error).remedy}>
      <code>{f.error.code}</code> {t.updates.sourceFailed(f.source)}
    </span>
  ));
  // An engine older than the skipped list sends none.
  const skipped = (check.skipped ?? []).map((s) => (
    <span key={`${s.source} ${s.packageId}`} className="state-detail" data-testid="skipped-update" title={textOf(s.error).remedy}>
      <code>{s.error.code}</code> {t.updates.skipped(s.version, t.library.status[s.signature])}
    </span>
  ));
  if (!check.route) {
    return (
      <span data-testid="available-update">
        {skipped.length > 0 ? <span className="tag tag-warn">{t.updates.noInstallable}</span> : <span className="tag tag-ok">{t.updates.upToDate}</span>}
        {skipped}
        {failures}
      </span>
    );
  }
  const { route } = check;
  const offer = check.offers.find((o) => o.packageId === route.packageId);
  return (
    <span data-testid="available-update">
      <span className="mono">{t.updates.offer(route.version, route.delta ? t.updates.delta : t.updates.full, offer ? formatBytes(offer.size) : t.none)}</span>
      {route.delta && route.bytesSaved > 0 && <span className="tag tag-ok">{t.updates.saving(formatBytes(route.bytesSaved))}</span>}
      {skipped}
      {failures}
    </span>
  );
}
