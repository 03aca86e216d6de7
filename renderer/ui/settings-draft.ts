import type { SERIAL_BAUD_RATES, SettingsUpdate, SettingsView } from '../../electron/shared/contract';

export type SourceDraft =
  | { kind: 'library'; folder: string }
  | { kind: 'catalog'; url: string }
  | { kind: 'hawkbit'; url: string; tenant: string; tokenKind: 'gateway' | 'target'; poll: boolean; hasToken: boolean; token: string; removeToken: boolean };

/** The Settings form as the technician edits it: numbers as typed, a hawkBit token only when one is typed. */
export interface Draft {
  sources: SourceDraft[];
  trustedKeysFolder: string;
  concurrency: string;
  baudRate: number;
}

export function toDraft(view: SettingsView): Draft {
  return {
    sources: view.sources.map((s): SourceDraft => (s.kind === 'hawkbit' ? { ...s, token: '', removeToken: false } : s)),
    trustedKeysFolder: view.trustedKeysFolder ?? '',
    concurrency: String(view.concurrency),
    baudRate: view.serial.baudRate,
  };
}

/** The change to send: a hawkBit token only when one was typed (or removed); the UI never has the stored one. */
export function toUpdate(draft: Draft): SettingsUpdate {
  return {
    sources: draft.sources.map((s) => {
      if (s.kind !== 'hawkbit') return s;
      const { hasToken: _has, token, removeToken, ...rest } = s;
      return token ? { ...rest, token } : removeToken ? { ...rest, token: null } : rest;
    }),
    trustedKeysFolder: draft.trustedKeysFolder.trim() === '' ? null : draft.trustedKeysFolder,
    concurrency: Number(draft.concurrency),
    serial: { baudRate: draft.baudRate as (typeof SERIAL_BAUD_RATES)[number] },
  };
}

/**
 * A source just added to the form. A hawkBit server starts without background
 * polling: installing unasked is switched on deliberately, per server.
 */
export function newSource(kind: SourceDraft['kind']): SourceDraft {
  if (kind === 'library') return { kind, folder: '' };
  if (kind === 'catalog') return { kind, url: '' };
  return { kind, url: '', tenant: 'DEFAULT', tokenKind: 'gateway', poll: false, hasToken: false, token: '', removeToken: false };
}
