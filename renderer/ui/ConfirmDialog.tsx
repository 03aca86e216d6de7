import { useEffect, useId, useRef, useState } from 'react';
import type { ErrorPayload } from '../../electron/shared/errors';
import { useT } from '../i18n/use-t';
import { toErrorPayload } from '../service/error-payload';
import { InlineError } from './InlineError';

/**
 * Asks before a dangerous action and says what will happen. The action runs
 * from here; a refusal stays in the dialog with its code and remedy.
 */
export function ConfirmDialog({ title, body, onConfirm, onClose }: { title: string; body: string; onConfirm(): Promise<unknown>; onClose(): void }) {
  const t = useT();
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const confirm = () => {
    setBusy(true);
    setError(null);
    onConfirm().then(onClose, (err: unknown) => {
      setError(toErrorPayload(err));
      setBusy(false);
    });
  };
  return (
    <dialog ref={ref} className="dialog confirm" aria-labelledby={`${id}-h`} aria-describedby={`${id}-b`} onClose={onClose}>
      <div className="dialog-body">
        <h2 id={`${id}-h`}>{title}</h2>
        <p id={`${id}-b`}>{body}</p>
        {error && <InlineError error={error} />}
        <div className="toolbar dialog-actions">
          <button type="button" className="btn" onClick={onClose} autoFocus>
            {t.terminals.cancel}
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={confirm}>
            {t.terminals.confirm}
          </button>
        </div>
      </div>
    </dialog>
  );
}
