import type { ErrorPayload } from '../../electron/shared/errors';
import { useErrorText } from '../i18n/error-text';
import { useT } from '../i18n/use-t';
import { useConsole } from '../store/console-store';

/** Why a job failed or rolled back, and what the technician can do: straight from the error catalog. */
export function ErrorPanel({ error }: { error: ErrorPayload }) {
  const t = useT();
  const text = useErrorText()(error);
  const entry = useConsole((s) => s.errorCatalog[error.code]);
  return (
    <section className="error-panel" aria-labelledby="error-heading" data-testid="error-panel">
      <h3 id="error-heading">
        <span className="visually-hidden">{t.error.heading}: </span>
        <code className="error-code" data-testid="error-code">
          {error.code}
        </code>{' '}
        <span data-testid="error-title">{text.title}</span>
      </h3>
      <dl className="facts">
        <dt>{t.error.cause}</dt>
        <dd data-testid="error-cause">{text.cause}</dd>
        <dt>{t.error.remedy}</dt>
        <dd data-testid="error-remedy">{text.remedy}</dd>
        {error.detail && (
          <>
            <dt>{t.error.detail}</dt>
            <dd className="mono">{error.detail}</dd>
          </>
        )}
        {entry && (
          <>
            <dt>{t.error.mapping}</dt>
            <dd>{t.error.fumoTr069(entry.fumo, entry.tr069)}</dd>
          </>
        )}
      </dl>
      <p className="muted">{error.retryable ? t.error.retryable : t.error.notRetryable}</p>
    </section>
  );
}
