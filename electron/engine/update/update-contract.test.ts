import { describe, expect, it } from 'vitest';
import type { UpdateReportView } from '../../shared/contract';
import { E } from '../../shared/errors';
import { trustDirWith } from '../image/package-test-kit';
import { fleetLibrary, publisher, startFleet, updateEngine } from './update-test-kit';

describe('updates through the service contract, with sources from the settings', () => {
  it('checkForUpdates shows the offers and the route; startUpdate runs the pipeline and reports each terminal', async () => {
    const library = await fleetLibrary();
    const fleet = await startFleet(2, ['B02', 'B01']);
    const { engine } = await updateEngine();
    await engine.updateSettings({ sources: [{ kind: 'library', folder: library.dir }], trustedKeysFolder: await trustDirWith(publisher), concurrency: 2 });

    const check = await engine.checkForUpdates({ address: fleet[0]!.terminal.address });
    expect(check).toMatchObject({ model: 'MF286D', firmwareVersion: 'B02', route: { packageId: library.deltaId('MF286D'), version: 'B03', delta: true } });
    expect(check.offers.map((o) => o.packageId).sort()).toEqual(['mf286d-b01', library.deltaId('MF286D'), library.fullId('MF286D')].sort());
    expect(fleet[0]!.terminal.inspect().payloadBytesReceived).toBe(0);

    const reports: UpdateReportView[] = [];
    const allDone = new Promise<void>((resolve) =>
      engine.onUpdateReport((report) => {
        reports.push(report);
        if (reports.length === 2) resolve();
      }),
    );
    expect(await engine.startUpdate({ addresses: fleet.map((m) => m.terminal.address) })).toEqual({ queued: fleet.map((m) => m.terminal.address) });
    // Asked again while they run: nothing is queued twice.
    expect(await engine.startUpdate({ addresses: [fleet[0]!.terminal.address] })).toEqual({ queued: [] });
    await allDone;
    expect(reports.map((r) => [r.address, r.result, r.toVersion]).sort()).toEqual(fleet.map((m) => [m.terminal.address, 'success', 'B03']).sort());
  });

  it('refuses a check without configured sources, and a malformed request, with catalogued codes', async () => {
    const [member] = await startFleet(1, ['B01']);
    const { engine } = await updateEngine();
    await expect(engine.checkForUpdates({ address: member!.terminal.address })).rejects.toMatchObject({ code: E.UPDATE_NO_SOURCES.code });
    await expect(engine.startUpdate({ addresses: [] })).rejects.toMatchObject({ code: E.BAD_REQUEST.code });
  });
});
