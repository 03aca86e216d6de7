import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { LANGUAGES, MAX_CONCURRENCY, SERIAL_BAUD_RATES, type SettingsView } from '../../electron/shared/contract';
import type { ErrorPayload } from '../../electron/shared/errors';
import { useT } from '../i18n/use-t';
import { consoleActions } from '../service/console-service';
import { toErrorPayload } from '../service/error-payload';
import { useConsole } from '../store/console-store';
import type { Language } from '../store/settings-slice';
import { InlineError } from './InlineError';
import { newSource, toDraft, toUpdate, type SourceDraft } from './settings-draft';
import { fieldProblem, refusedFields } from './settings-errors';

/** A labelled control with the engine's complaint about it right below. */
function Field({ label, problem, hint, children, id }: { label: string; problem?: string; hint?: string; children: ReactNode; id: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <p className="hint">{hint}</p>}
      {problem && (
        <p className="field-error" id={`${id}-error`} data-testid="field-error">
          {problem}
        </p>
      )}
    </div>
  );
}

function SourceEditor({ source, index, problems, onChange, onRemove }: { source: SourceDraft; index: number; problems: Record<string, string>; onChange(s: SourceDraft): void; onRemove(): void }) {
  const t = useT();
  const id = useId();
  const at = (field: string) => fieldProblem(problems, `sources.${index}.${field}`);
  const invalid = (field: string) => ({ 'aria-invalid': at(field) ? true : undefined, 'aria-describedby': at(field) ? `${id}-${field}-error` : undefined });
  return (
    <fieldset className="source" data-kind={source.kind}>
      <legend>
        {t.settings.sourceLabel(index + 1)}: {t.settings.kinds[source.kind]}
      </legend>
      {source.kind === 'library' && (
        <Field id={`${id}-folder`} label={t.settings.folder} problem={at('folder')}>
          <input id={`${id}-folder`} value={source.folder} {...invalid('folder')} onChange={(e) => onChange({ ...source, folder: e.target.value })} />
        </Field>
      )}
      {source.kind !== 'library' && (
        <Field id={`${id}-url`} label={t.settings.url} problem={at('url')}>
          <input id={`${id}-url`} type="url" value={source.url} {...invalid('url')} onChange={(e) => onChange({ ...source, url: e.target.value })} />
        </Field>
      )}
      {source.kind === 'hawkbit' && (
        <>
          <Field id={`${id}-tenant`} label={t.settings.tenant} problem={at('tenant')}>
            <input id={`${id}-tenant`} value={source.tenant} {...invalid('tenant')} onChange={(e) => onChange({ ...source, tenant: e.target.value })} />
          </Field>
          <Field id={`${id}-tokenKind`} label={t.settings.tokenKind}>
            <select id={`${id}-tokenKind`} value={source.tokenKind} onChange={(e) => onChange({ ...source, tokenKind: e.target.value as 'gateway' | 'target' })}>
              <option value="gateway">{t.settings.tokenKinds.gateway}</option>
              <option value="target">{t.settings.tokenKinds.target}</option>
            </select>
          </Field>
          <Field id={`${id}-token`} label={t.settings.token} problem={at('token')} hint={t.settings.tokenHint}>
            <input
              id={`${id}-token`}
              type="password"
              autoComplete="new-password"
              value={source.token}
              {...invalid('token')}
              onChange={(e) => onChange({ ...source, token: e.target.value })}
            />
          </Field>
          <p className="token-state" data-testid="token-state">
            <span className={`tag ${source.hasToken && !source.removeToken ? 'tag-ok' : 'tag-warn'}`}>
              {source.hasToken && !source.removeToken ? t.settings.tokenStored : t.settings.tokenNone}
            </span>
            {source.hasToken && !source.removeToken && (
              <button type="button" className="btn btn-quiet" onClick={() => onChange({ ...source, removeToken: true, token: '' })}>
                {t.settings.removeToken}
              </button>
            )}
          </p>
          <div className="field field-check">
            <label htmlFor={`${id}-poll`}>
              <input id={`${id}-poll`} type="checkbox" checked={source.poll} aria-describedby={`${id}-poll-hint`} onChange={(e) => onChange({ ...source, poll: e.target.checked })} />
              {t.settings.poll}
            </label>
            <p className="hint" id={`${id}-poll-hint`}>
              {t.settings.pollHint}
            </p>
            {at('poll') && (
              <p className="field-error" data-testid="field-error">
                {at('poll')}
              </p>
            )}
          </div>
        </>
      )}
      <button type="button" className="btn btn-quiet" onClick={onRemove}>
        {t.settings.removeSource}
      </button>
    </fieldset>
  );
}

function SettingsForm({ view }: { view: SettingsView }) {
  const t = useT();
  const id = useId();
  const online = useConsole((s) => s.connection === 'online');
  const applySettings = useConsole((s) => s.applySettings);
  const [draft, setDraft] = useState(() => toDraft(view));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [saved, setSaved] = useState(false);
  const problems = error ? refusedFields(error.detail) : {};
  const placed = Object.keys(problems).length > 0;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const next = await consoleActions.saveSettings(toUpdate(draft));
      applySettings(next);
      setDraft(toDraft(next));
      setSaved(true);
    } catch (err) {
      setError(toErrorPayload(err));
    } finally {
      setBusy(false);
    }
  };

  const setSource = (i: number, s: SourceDraft) => setDraft((d) => ({ ...d, sources: d.sources.map((x, j) => (j === i ? s : x)) }));
  const addSource = (kind: SourceDraft['kind']) => setDraft((d) => ({ ...d, sources: [...d.sources, newSource(kind)] }));

  return (
    <form className="settings-form" onSubmit={save} noValidate>
      {/* The error's code, title and remedy once; the field it names also shows its message beside it. */}
      {error && <InlineError error={placed ? { ...error, detail: '' } : error} />}
      <section aria-labelledby={`${id}-sources`}>
        <h3 id={`${id}-sources`}>{t.settings.sourcesHeading}</h3>
        <p className="hint">{t.settings.sourcesHint}</p>
        {draft.sources.length === 0 && <p className="empty">{t.settings.noSources}</p>}
        {draft.sources.map((s, i) => (
          <SourceEditor key={i} source={s} index={i} problems={problems} onChange={(n) => setSource(i, n)} onRemove={() => setDraft((d) => ({ ...d, sources: d.sources.filter((_, j) => j !== i) }))} />
        ))}
        <div className="toolbar">
          {(['library', 'catalog', 'hawkbit'] as const).map((kind) => (
            <button key={kind} type="button" className="btn" onClick={() => addSource(kind)}>
              {t.settings.addSource(t.settings.kinds[kind])}
            </button>
          ))}
        </div>
      </section>
      <Field id={`${id}-keys`} label={t.settings.trustedKeys} hint={t.settings.trustedKeysHint} problem={fieldProblem(problems, 'trustedKeysFolder')}>
        <input id={`${id}-keys`} value={draft.trustedKeysFolder} onChange={(e) => setDraft({ ...draft, trustedKeysFolder: e.target.value })} />
      </Field>
      <Field id={`${id}-conc`} label={t.settings.concurrency} problem={fieldProblem(problems, 'concurrency')}>
        <input
          id={`${id}-conc`}
          type="number"
          min={1}
          max={MAX_CONCURRENCY}
          value={draft.concurrency}
          aria-invalid={fieldProblem(problems, 'concurrency') ? true : undefined}
          aria-describedby={fieldProblem(problems, 'concurrency') ? `${id}-conc-error` : undefined}
          onChange={(e) => setDraft({ ...draft, concurrency: e.target.value })}
        />
      </Field>
      <Field id={`${id}-baud`} label={t.settings.baudRate} problem={fieldProblem(problems, 'serial')}>
        <select id={`${id}-baud`} value={draft.baudRate} onChange={(e) => setDraft({ ...draft, baudRate: Number(e.target.value) })}>
          {SERIAL_BAUD_RATES.map((b) => (
            <option key={b} value={b}>
              {b.toLocaleString('en')}
            </option>
          ))}
        </select>
      </Field>
      <div className="toolbar">
        <button type="submit" className="btn btn-primary" disabled={!online || busy}>
          {busy ? t.settings.saving : t.settings.save}
        </button>
        {saved && (
          <span className="saved" role="status">
            {t.settings.saved}
          </span>
        )}
      </div>
      <p className="hint">{t.settings.file(view.file)}</p>
    </form>
  );
}

/** Language applies the moment it is chosen and is saved with the settings. */
function LanguagePicker({ language }: { language: Language }) {
  const t = useT();
  const id = useId();
  const applySettings = useConsole((s) => s.applySettings);
  const online = useConsole((s) => s.connection === 'online');
  const [error, setError] = useState<ErrorPayload | null>(null);
  const choose = (next: Language) => {
    setError(null);
    consoleActions.saveSettings({ language: next }).then(applySettings, (err: unknown) => setError(toErrorPayload(err)));
  };
  return (
    <div className="field">
      <label htmlFor={`${id}-lang`}>{t.settings.language}</label>
      <select id={`${id}-lang`} value={language} disabled={!online} onChange={(e) => choose(e.target.value as Language)}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t.settings.languages[l]}
          </option>
        ))}
      </select>
      {error && <InlineError error={error} />}
    </div>
  );
}

export function SettingsScreen() {
  const t = useT();
  const view = useConsole((s) => s.settings);
  return (
    <section className="panel settings" aria-labelledby="screen-heading">
      <h2 id="screen-heading" tabIndex={-1}>
        {t.settings.heading}
      </h2>
      {!view ? (
        <p className="empty">{t.settings.loading}</p>
      ) : (
        <>
          <LanguagePicker language={view.language} />
          {/* The form keeps the technician's edits while the engine echoes saves back; it starts from the view once. */}
          <SettingsForm key={view.file} view={view} />
          {view.problem && <InlineError error={view.problem} />}
        </>
      )}
    </section>
  );
}
