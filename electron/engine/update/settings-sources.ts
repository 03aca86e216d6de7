import type { StoredSettings } from '../../shared/contract';
import { ZucError } from '../../shared/errors';
import type { PackageCache } from '../download';
import type { DdiServer } from '../sources/hawkbit';
import { FirmwareLibrary, HttpCatalog, type UpdateSource } from '../sources';
import { HawkbitDeployments } from './hawkbit-update';
import { offeringSources, type ConfiguredSource } from './source-order';

/**
 * The update sources configured in the settings, in their priority order,
 * hawkBit servers included, rebuilt only when the settings' list changes (a
 * catalog's index is then reused across jobs). A hawkBit source without a
 * saved token is left out: it could not sign in.
 */
export function settingsUpdateSources(current: () => StoredSettings, cache: PackageCache): () => readonly ConfiguredSource[] {
  let key = '';
  let sources: ConfiguredSource[] = [];
  return () => {
    const configured = current().sources;
    const next = JSON.stringify(configured);
    if (next !== key) {
      key = next;
      sources = configured.flatMap((s): ConfiguredSource[] => {
        if (s.kind === 'library') return [new FirmwareLibrary(s.folder, cache)];
        if (s.kind === 'catalog') return [new HttpCatalog(s.url, cache)];
        const server = hawkbitServer(s);
        if (!server) return [];
        try {
          return [new HawkbitDeployments(server, cache)];
        } catch (err) {
          // A server the client refuses (an address or tenant it cannot use) fails each job with its code, visibly.
          return [unusableSource(`hawkbit:${s.url}`, ZucError.from(err))];
        }
      });
    }
    return sources;
  };
}

/** Only the libraries and catalogs of the settings, in their order (what lists packages without a terminal). */
export function settingsSources(current: () => StoredSettings, cache: PackageCache): () => readonly UpdateSource[] {
  const all = settingsUpdateSources(current, cache);
  return () => offeringSources(all());
}

function unusableSource(name: string, error: ZucError): UpdateSource {
  return { name, findUpdates: () => Promise.reject(error) };
}

export type HawkbitSetting = Extract<StoredSettings['sources'][number], { kind: 'hawkbit' }>;

/** How the console signs in to a configured hawkBit server; null without a saved token. */
export function hawkbitServer(s: HawkbitSetting): DdiServer | null {
  if (!s.token) return null;
  return { baseUrl: s.url, tenant: s.tenant, auth: s.tokenKind === 'target' ? { kind: 'target', token: s.token } : { kind: 'gateway', token: s.token } };
}
