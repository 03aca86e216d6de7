import { describe, expect, it } from 'vitest';
import { E, ZucError } from '../../electron/shared/errors';
import { toErrorPayload } from './error-payload';

describe('errors shown in the console page', () => {
  it('keeps a ZucError from the WebSocket client as it is', () => {
    expect(toErrorPayload(new ZucError(E.UNKNOWN_TERMINAL, 'tcp://x:1'))).toMatchObject({ code: E.UNKNOWN_TERMINAL.code, detail: 'tcp://x:1' });
  });

  it('rebuilds title, cause and remedy from the code of an error that crossed the desktop context bridge as plain data', () => {
    const bridged = { name: 'ZucError', message: 'x', code: E.IMAGE_EMPTY.code, detail: 'empty.bin', title: '', cause: '', remedy: '', retryable: false };
    expect(toErrorPayload(bridged)).toEqual({ ...new ZucError(E.IMAGE_EMPTY, 'empty.bin').toJSON() });
  });

  it('shows anything else as an internal error with its message, never as a bare text', () => {
    const payload = toErrorPayload(new Error('boom'));
    expect(payload.code).toBe(E.INTERNAL.code);
    expect(payload.detail).toBe('boom');
    expect(payload.remedy).toBe(E.INTERNAL.remedy);
  });
});
