import { useEffect, useId, useMemo, useState } from 'react';
import type { ErrorStat } from '../../electron/shared/contract';
import { useErrorText } from '../i18n/error-text';
import { useT } from '../i18n/use-t';
import { consoleActions } from '../service/console-service';
import { useConsole } from '../store/console-store';
import { searchErrors } from './error-search';
import { TroubleshootLog } from './TroubleshootLog';

function ErrorExplorer() {
  const t = useT();
  const textOf = useErrorText();
  const language = useConsole((s) => s.language);
  const catalog = useConsole((s) => s.errorCatalog);
  const [query, setQuery] = useState('');
  const id = useId();
  const entries = useMemo(() => Object.values(catalog).sort((a, b) => a.code.localeCompare(b.code)), [catalog]);
  const found = searchErrors(entries, query, language);
  const online = useConsole((s) => s.connection === 'online');
  // How often each code ended a job, read again when a job finishes.
  const finished = useConsole((s) => Object.values(s.jobs).filter((j) => j.state.kind === 'done').length);
  const [stats, setStats] = useState<Record<string, ErrorStat>>({});
  useEffect(() => {
    if (!online) return;
    let current = true;
    consoleActions.loadErrorStats().then(
      (list) => current && setStats(Object.fromEntries(list.map((x) => [x.code, x]))),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [online, finished]);
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t.troubleshoot.errorsHeading}</h3>
      <div className="field">
        <label htmlFor={`${id}-q`}>{t.troubleshoot.searchLabel}</label>
        <input id={`${id}-q`} type="search" value={query} aria-describedby={`${id}-hint`} onChange={(e) => setQuery(e.target.value)} />
        <p id={`${id}-hint`} className="hint">
          {t.troubleshoot.searchHint}
        </p>
      </div>
      <p className="muted" role="status">
        {found.length === 0 ? t.troubleshoot.noMatch : t.troubleshoot.matches(found.length)}
      </p>
      <ul className="error-entries">
        {found.map((e) => ({ e, text: textOf(e) })).map(({ e, text }) => (
          <li key={e.code} className="error-entry" data-code={e.code}>
            <div className="error-entry-head">
              <code className="error-code">{e.code}</code> <strong>{text.title}</strong>
              <span className={`tag ${e.retryable ? 'tag-ok' : 'tag-warn'}`}>{e.retryable ? t.troubleshoot.retryable : t.troubleshoot.notRetryable}</span>
              <span className="muted mono">
                {t.troubleshoot.fumo} {e.fumo} · {t.troubleshoot.tr069} {e.tr069}
              </span>
            </div>
            <dl className="facts">
              <dt>{t.error.cause}</dt>
              <dd data-testid="entry-cause">{text.cause}</dd>
              <dt>{t.error.remedy}</dt>
              <dd data-testid="entry-remedy">{text.remedy}</dd>
            </dl>
            <p className="muted occurred" data-testid="entry-occurred">
              {stats[e.code]?.count ? t.troubleshoot.occurred(stats[e.code]!.count, stats[e.code]!.serials.join(', ')) : t.troubleshoot.neverOccurred}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function TroubleshootScreen() {
  const t = useT();
  return (
    <div className="screen-stack">
      <h2 id="screen-heading" tabIndex={-1}>
        {t.troubleshoot.heading}
      </h2>
      <ErrorExplorer />
      <TroubleshootLog />
    </div>
  );
}
