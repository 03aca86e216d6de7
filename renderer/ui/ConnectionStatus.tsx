import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';

export function ConnectionStatusBadge() {
  const t = useT();
  const connection = useConsole((s) => s.connection);
  const text = connection === 'online' ? t.connection.online : connection === 'lost' ? t.connection.lostShort : t.connection.connecting;
  return (
    <span className={`conn conn-${connection}`} role="status">
      <span className="conn-dot" aria-hidden="true" />
      {text}
    </span>
  );
}

/** Shown while the engine is unreachable: everything on screen may be out of date. */
export function ConnectionBanner() {
  const t = useT();
  const connection = useConsole((s) => s.connection);
  if (connection !== 'lost') return null;
  return (
    <div className="banner banner-lost" role="alert">
      {t.connection.lost}
    </div>
  );
}
