import type { ErrorEntry } from './error-entry';
import { E, lookupError } from './catalog';

/** What crosses process boundaries for an error: the code, and what this occurrence adds. */
export interface ErrorPayload {
  code: string;
  title: string;
  cause: string;
  remedy: string;
  retryable: boolean;
  /** This occurrence: the file, the byte offset, the device's own words. */
  detail: string;
}

/** An error with a catalogued code. Every failure the user can see is one of these. */
export class ZucError extends Error {
  readonly entry: ErrorEntry;
  readonly detail: string;

  constructor(entry: ErrorEntry, detail = '', options?: { cause?: unknown }) {
    super(detail ? `${entry.title}: ${detail}` : entry.title, options);
    this.name = 'ZucError';
    this.entry = entry;
    this.detail = detail;
  }

  get code(): string {
    return this.entry.code;
  }

  toJSON(): ErrorPayload {
    const { code, title, cause, remedy, retryable } = this.entry;
    return { code, title, cause, remedy, retryable, detail: this.detail };
  }

  static fromJSON(payload: Pick<ErrorPayload, 'code' | 'detail'>): ZucError {
    return new ZucError(lookupError(payload.code) ?? E.INTERNAL, payload.detail);
  }

  /** Any thrown value as a ZucError; unknown errors become INTERNAL with their message kept. */
  static from(err: unknown): ZucError {
    if (err instanceof ZucError) return err;
    // A rejection that crossed Electron's context bridge is plain data (the bridge drops Error subclasses' fields).
    if (isCataloguedPayload(err)) return ZucError.fromJSON(err);
    const message = err instanceof Error ? err.message : String(err);
    return new ZucError(E.INTERNAL, message, { cause: err });
  }
}

function isCataloguedPayload(value: unknown): value is Pick<ErrorPayload, 'code' | 'detail'> {
  if (typeof value !== 'object' || value === null) return false;
  const { code, detail } = value as Partial<Record<'code' | 'detail', unknown>>;
  return typeof code === 'string' && typeof detail === 'string' && lookupError(code) !== undefined;
}
