import { useId, useState, type FormEvent } from 'react';
import type { ErrorPayload } from '../../electron/shared/errors';
import { toErrorPayload } from '../service/error-payload';
import { useT } from '../i18n/use-t';
import { consoleActions } from '../service/console-service';
import { useConsole } from '../store/console-store';
import { InlineError } from './InlineError';

export function AddTerminalForm() {
  const t = useT();
  const online = useConsole((s) => s.connection === 'online');
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const inputId = useId();
  const hintId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = address.trim();
    if (!trimmed) return;
    setBusy(true);
    setError(null);
    try {
      await consoleActions.addTerminal(trimmed);
      setAddress('');
    } catch (err) {
      setError(toErrorPayload(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="add-terminal" onSubmit={submit}>
      <div className="field-inline">
        <label htmlFor={inputId}>{t.terminals.addressLabel}</label>
        <input
          id={inputId}
          type="text"
          value={address}
          placeholder={t.terminals.addressPlaceholder}
          aria-describedby={hintId}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setAddress(e.target.value)}
        />
        <button type="submit" className="btn" disabled={!online || busy || !address.trim()}>
          {busy ? t.terminals.adding : t.terminals.add}
        </button>
      </div>
      <p id={hintId} className="hint">
        {t.terminals.addressHint}
      </p>
      {error && <InlineError error={error} />}
    </form>
  );
}
