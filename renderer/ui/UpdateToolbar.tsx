import { useState } from 'react';
import type { ErrorPayload } from '../../electron/shared/errors';
import { useT } from '../i18n/use-t';
import { consoleActions } from '../service/console-service';
import { toErrorPayload } from '../service/error-payload';
import { useConsole } from '../store/console-store';
import { InlineError } from './InlineError';

/** Check for updates / Update on the ticked terminals. */
export function UpdateToolbar() {
  const t = useT();
  const selected = useConsole((s) => s.selectedAddresses);
  const online = useConsole((s) => s.connection === 'online');
  const applyUpdateCheck = useConsole((s) => s.applyUpdateCheck);
  const startBatch = useConsole((s) => s.startBatch);
  const showScreen = useConsole((s) => s.showScreen);
  const order = useConsole((s) => s.deviceOrder);
  const openFlashDialog = useConsole((s) => s.openFlashDialog);
  const [busy, setBusy] = useState<'check' | 'update' | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);

  const check = async () => {
    setBusy('check');
    setError(null);
    const results = await Promise.allSettled(selected.map((a) => consoleActions.checkForUpdates(a)));
    for (const r of results) {
      if (r.status === 'fulfilled') applyUpdateCheck(r.value);
      else setError(toErrorPayload(r.reason));
    }
    setBusy(null);
  };

  const update = async () => {
    setBusy('update');
    setError(null);
    try {
      const startedAt = new Date().toISOString();
      const { queued } = await consoleActions.startUpdate(selected);
      startBatch({ addresses: queued, startedAt });
      showScreen('updates');
    } catch (err) {
      setError(toErrorPayload(err));
    } finally {
      setBusy(null);
    }
  };

  const none = selected.length === 0 || !online || busy !== null;
  return (
    <div className="toolbar" role="group" aria-label={t.updates.selected(selected.length)}>
      <span className="muted" aria-live="polite">
        {t.updates.selected(selected.length)}
      </span>
      <button type="button" className="btn" disabled={none} onClick={() => void check()}>
        {busy === 'check' ? t.updates.checking : t.updates.check}
      </button>
      <button type="button" className="btn btn-primary" disabled={none} onClick={() => void update()}>
        {busy === 'update' ? t.updates.updating : t.updates.update}
      </button>
      <button type="button" className="btn" disabled={none} onClick={() => openFlashDialog(order.filter((a) => selected.includes(a)))}>
        {t.flash.flashSelected}
      </button>
      {error && <InlineError error={error} />}
    </div>
  );
}
