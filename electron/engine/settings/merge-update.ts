import type { z } from 'zod';
import type { SettingsUpdateSchema, SettingsView, StoredSettings } from '../../shared/contract';

type ParsedUpdate = z.output<typeof SettingsUpdateSchema>;
type StoredSource = StoredSettings['sources'][number];

/**
 * Applies a validated change to the stored settings. A hawkBit source sent
 * without `token` keeps the token stored for the same server and tenant:
 * the UI never holds the token, so it cannot send it back.
 */
export function mergeUpdate(current: StoredSettings, update: ParsedUpdate): StoredSettings {
  const next: StoredSettings = { ...current };
  if (update.sources) {
    next.sources = update.sources.map((source): StoredSource => {
      if (source.kind !== 'hawkbit') return source;
      const { token, ...rest } = source;
      if (token === null) return rest;
      if (token !== undefined) return { ...rest, token };
      const kept = current.sources.find((s) => s.kind === 'hawkbit' && s.url === source.url && s.tenant === source.tenant);
      return kept?.kind === 'hawkbit' && kept.token !== undefined ? { ...rest, token: kept.token } : rest;
    });
  }
  if (update.trustedKeysFolder !== undefined) next.trustedKeysFolder = update.trustedKeysFolder;
  if (update.concurrency !== undefined) next.concurrency = update.concurrency;
  if (update.serial !== undefined) next.serial = update.serial;
  if (update.language !== undefined) next.language = update.language;
  if (update.tcpTerminals !== undefined) next.tcpTerminals = update.tcpTerminals;
  if (update.reportUrl === null) delete next.reportUrl;
  else if (update.reportUrl !== undefined) next.reportUrl = update.reportUrl;
  return next;
}

/** The settings as a user interface may see them: tokens replaced by `hasToken`. */
export function toSettingsView(settings: StoredSettings, file: string, problem: SettingsView['problem']): SettingsView {
  return {
    sources: settings.sources.map((source) => {
      if (source.kind !== 'hawkbit') return source;
      const { token, ...rest } = source;
      return { ...rest, hasToken: token !== undefined };
    }),
    trustedKeysFolder: settings.trustedKeysFolder,
    concurrency: settings.concurrency,
    serial: settings.serial,
    language: settings.language,
    tcpTerminals: settings.tcpTerminals,
    ...(settings.reportUrl !== undefined ? { reportUrl: settings.reportUrl } : {}),
    file,
    problem,
  };
}
