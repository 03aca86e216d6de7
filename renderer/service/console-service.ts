import type { ConsoleService, HistoryFilter, ImportedPackage, PackageLocation, SettingsUpdate, StagedImage } from '../../electron/shared/contract';
import { MAX_IMPORT_PACKAGE_BYTES, MAX_STAGED_IMAGE_BYTES, SettingsUpdateSchema } from '../../electron/shared/contract';
import type { HistoryStatsRequest } from '../../electron/shared/contract';
import { E, ZucError } from '../../electron/shared/errors';

/** The service the page talks to right now; null while disconnected. */
let current: ConsoleService | null = null;

export function setConsoleService(service: ConsoleService | null): void {
  current = service;
}

function service(): ConsoleService {
  if (!current) throw new ZucError(E.LINK_LOST, 'the console engine is not connected');
  return current;
}

/** What the page asks of the engine. Every failure is a ZucError with a catalogued code. */
export const consoleActions = {
  addTerminal: (address: string) => service().addDevice({ address }),
  refreshTerminal: (address: string) => service().refreshDevice({ address }),
  removeTerminal: (address: string) => service().removeDevice({ address }),
  async stageImage(file: File): Promise<StagedImage> {
    if (file.size > MAX_STAGED_IMAGE_BYTES) throw new ZucError(E.IMAGE_TOO_LARGE, `${file.name} is ${file.size} bytes`);
    const data = new Uint8Array(await file.arrayBuffer());
    return service().stageImage({ name: file.name, data });
  },
  checkFlashCompatibility: (stagedImageId: string, addresses: string[]) => service().checkFlashCompatibility({ image: { kind: 'staged', id: stagedImageId }, addresses }),
  startFlash: (address: string, stagedImageId: string) => service().startFlash({ address, image: { kind: 'staged', id: stagedImageId } }),
  loadJobLog: (jobId: string) => service().getJobLog({ jobId }),
  checkForUpdates: (address: string) => service().checkForUpdates({ address }),
  startUpdate: (addresses: string[]) => service().startUpdate({ addresses }),
  loadHistory: (limit: number) => service().listHistory({ limit }),
  exportHistoryCsv: (filter: HistoryFilter) => service().exportHistoryCsv(filter),
  loadHistoryStats: (request: HistoryStatsRequest) => service().getHistoryStats(request),
  retryJob: (jobId: string) => service().retryJob({ jobId }),
  loadErrorStats: () => service().getErrorStats({}),
  exportSupportBundle: (jobId: string) => service().exportSupportBundle({ jobId }),
  rollbackTerminal: (address: string) => service().rollbackDevice({ address }),
  listPackages: () => service().listPackages({}),
  packageDetails: (where: PackageLocation) => service().getPackageDetails(where),
  async importPackage(file: File): Promise<ImportedPackage> {
    // Refused before the file is read: the whole file travels to the engine in one message.
    if (file.size > MAX_IMPORT_PACKAGE_BYTES) throw new ZucError(E.LIBRARY_IMPORT_TOO_LARGE, `${file.name} is ${file.size} bytes`);
    return service().importPackage({ name: file.name, data: new Uint8Array(await file.arrayBuffer()) });
  },
  rebootTerminal: (address: string) => service().rebootDevice({ address }),
  saveSettings(update: SettingsUpdate) {
    // Checked here with the engine's own rules and its catalogued error, so a refused field reads the same
    // in the desktop app and over the station (whose transport would call it a malformed request).
    const check = SettingsUpdateSchema.safeParse(update);
    if (!check.success) {
      const fields = check.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`);
      return Promise.reject(new ZucError(E.SETTING_REFUSED, fields.join('; ')));
    }
    return service().updateSettings(update);
  },
};
