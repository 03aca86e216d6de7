import type { StoredSettings } from '../../shared/contract';
import type { PackageCache } from '../download';
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
