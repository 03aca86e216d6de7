import type { ErrorPayload } from '../../electron/shared/errors';
import { useErrorText } from '../i18n/error-text';

/** A short error next to the control that caused it: code, title, remedy. */
export function InlineError({ error }: { error: ErrorPayload }) {
  const text = useErrorText()(error);
  return (
    <div className="inline-error" role="alert">
      <strong>
        <code>{error.code}</code> {text.title}
      </strong>
      {error.detail && <span className="inline-error-detail">{error.detail}</span>}
      <span>{text.remedy}</span>
    </div>
  );
}
