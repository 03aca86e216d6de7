import type { StoredSettings } from '../../shared/contract';
import type { PackageCache } from '../download';
import type { DdiServer } from '../sources/hawkbit';
import { FirmwareLibrary, HttpCatalog, type UpdateSource } from '../sources';

/**
 * The update sources configured in the settings, in their priority order,
 * rebuilt only when the settings' list changes (a catalog's index is then
 * reused across jobs). hawkBit servers are not polled here: the hawkBit
 * gateway drives those updates itself.
 */
export function settingsSources(current: () => StoredSettings, cache: PackageCache): () => readonly UpdateSource[] {
  let key = '';
  let sources: UpdateSource[] = [];
  return () => {
    const configured = current().sources;
    const next = JSON.stringify(configured.filter((s) => s.kind !== 'hawkbit'));
    if (next !== key) {
      key = next;
      sources = configured.flatMap((s): UpdateSource[] => (s.kind === 'library' ? [new FirmwareLibrary(s.folder, cache)] : s.kind === 'catalog' ? [new HttpCatalog(s.url, cache)] : []));
    }
    return sources;
  };
}

/**
 * The hawkBit server a terminal is updated from when the settings put a
 * hawkBit source before every library and catalog (or have only hawkBit);
 * null otherwise, and while that source has no token (it cannot authenticate).
 */
export function settingsHawkbitServer(settings: StoredSettings): DdiServer | null {
  const first = settings.sources[0];
  if (!first || first.kind !== 'hawkbit' || !first.token) return null;
  return { baseUrl: first.url, tenant: first.tenant, auth: first.tokenKind === 'target' ? { kind: 'target', token: first.token } : { kind: 'gateway', token: first.token } };
}
