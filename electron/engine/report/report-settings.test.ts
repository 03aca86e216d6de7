import { afterEach, describe, expect, it } from 'vitest';
import type { UpdateReportView } from '../../shared/contract';
import { trustDirWith } from '../image/package-test-kit';
import { startEngine, until } from '../test-kit';
import { fleetLibrary, publisher, startFleet, updateEngine } from '../update/update-test-kit';
import { startReportTestServer, type ReportTestServer } from './report-test-server';

const servers: ReportTestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe('the report endpoint from the settings', () => {
  it('reports of updates run before an endpoint was set go out from the next engine on the same data folder, once', async () => {
    const server = await startReportTestServer();
    servers.push(server);
    const library = await fleetLibrary();
    const [member] = await startFleet(1, ['B01']);
    const { engine, dataDir } = await updateEngine();
    await engine.updateSettings({ sources: [{ kind: 'library', folder: library.dir }] });
    const done = new Promise<UpdateReportView>((resolve) => engine.onUpdateReport(resolve));
    await engine.startUpdate({ addresses: [member!.terminal.address] });
    const report = await done;
    expect(report.result).toBe('success');

    const view = await engine.updateSettings({ reportUrl: server.url });
    expect(view.reportUrl).toBe(server.url);
    await engine.close();
    expect(server.posts).toBe(0);

    const next = await startEngine({ dataDir, trustStoreDir: await trustDirWith(publisher) });
    await until(() => server.reports.length === 1);
    expect(server.reports[0]).toMatchObject({ key: `update:${report.jobId}`, body: { jobId: report.jobId, serial: member!.terminal.serial, result: 'success', toVersion: 'B03' } });
    // Removing the endpoint is a change like any other.
    expect((await next.updateSettings({ reportUrl: null })).reportUrl).toBeUndefined();
    await next.close();
    expect(server.posts).toBe(1);
  });
});
