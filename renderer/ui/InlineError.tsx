import type { ErrorPayload } from '../../electron/shared/errors';

/** A short error next to the control that caused it: code, title, remedy. */
export function InlineError({ error }: { error: ErrorPayload }) {
  return (
    <div className="inline-error" role="alert">
      <strong>
        <code>{error.code}</code> {error.title}
      </strong>
      {error.detail && <span className="inline-error-detail">{error.detail}</span>}
      <span>{error.remedy}</span>
    </div>
  );
}
