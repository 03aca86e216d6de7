import { ZucError, type ErrorPayload } from '../../electron/shared/errors';

function hasCode(value: unknown): value is { code: string; detail?: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string';
}

/**
 * Any rejection from the engine as an error to show. Over WebSocket it is a
 * ZucError; through the desktop preload's context bridge it arrives as plain
 * data with the code (Error subclasses do not cross), so the catalogued
 * title, cause and remedy are looked up again from the code.
 */
export function toErrorPayload(err: unknown): ErrorPayload {
  if (err instanceof ZucError) return err.toJSON();
  if (hasCode(err)) return ZucError.fromJSON({ code: err.code, detail: typeof err.detail === 'string' ? err.detail : '' }).toJSON();
  return ZucError.from(err).toJSON();
}
