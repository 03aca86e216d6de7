import { afterEach, describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import { PackageCache } from '../download';
import { FirmwareLibrary } from '../sources';
import { fleetLibrary, startFleet, updateEngine } from '../update/update-test-kit';
import { UpdateService } from '../update/update-service';
import type { UpdateReport } from '../update';
import { until } from '../test-kit';
import { startReportTestServer, type ReportTestServer } from './report-test-server';

const FAST = { firstDelayMs: 20, maxDelayMs: 80 };

const servers: ReportTestServer[] = [];
const services: UpdateService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
  for (const server of servers.splice(0)) await server.close();
});

async function reportServer(): Promise<ReportTestServer> {
  const server = await startReportTestServer();
  servers.push(server);
  return server;
}

/** A fleet, its library and an engine: `service()` opens an update service on the same data folder, as a console restart does. */
async function setup(terminals: number) {
  const library = await fleetLibrary();
  const fleet = await startFleet(terminals, ['B01']);
  const { engine, dataDir } = await updateEngine();
  const cache = PackageCache.inDataDir(dataDir);
  const service = (reportUrl: (() => string | null) | undefined): UpdateService => {
    const created = new UpdateService({ engine, dataDir, cache, sources: [new FirmwareLibrary(library.dir, cache)], reportBackoff: FAST, ...(reportUrl ? { reportUrl } : {}) });
    services.push(created);
    return created;
  };
  return { addresses: fleet.map((m) => m.terminal.address), service };
}

function asSent(report: UpdateReport): unknown {
  return JSON.parse(JSON.stringify(report)) as unknown;
}

describe('update reports to the HTTP report endpoint', () => {
  it('delivers reports queued by a console whose backend was down from the next console, once each, with the job id as key', async () => {
    const server = await reportServer();
    await server.down();
    const { addresses, service } = await setup(2);
    const first = service(() => server.url);
    const reports = await first.updateAll(addresses);
    expect(reports.map((r) => r.result)).toEqual(['success', 'success']);
    await until(() => first.outbox.store.list().every((e) => e.attempts >= 1));
    expect(first.outbox.store.list()).toMatchObject([
      { status: 'pending', lastError: expect.stringContaining(E.BACKEND_UNREACHABLE.code) },
      { status: 'pending', lastError: expect.stringContaining(E.BACKEND_UNREACHABLE.code) },
    ]);
    services.splice(services.indexOf(first), 1);
    await first.close();

    await server.up();
    const next = service(() => server.url);
    await until(() => server.reports.length === 2);
    await until(() => next.outbox.store.list('delivered').length === 2);
    expect(server.reports.map((r) => r.key).sort()).toEqual(reports.map((r) => `update:${r.jobId}`).sort());
    for (const report of reports) expect(server.reports.find((r) => r.key === `update:${report.jobId}`)?.body).toEqual(asSent(report));
    expect([...server.postsPerKey().values()]).toEqual([1, 1]);
  });

  it('keeps retrying while the server is down for a while and delivers after it comes back', async () => {
    const server = await reportServer();
    const { addresses, service } = await setup(1);
    const console = service(() => server.url);
    await server.down();
    const [report] = await console.updateAll(addresses);
    await until(() => (console.outbox.store.list()[0]?.attempts ?? 0) >= 3);
    expect(server.posts).toBe(0);
    await server.up();
    await until(() => console.outbox.store.list('delivered').length === 1);
    expect(server.reports).toEqual([{ key: `update:${report!.jobId}`, body: asSent(report!) }]);
    expect(server.posts).toBe(1);
  });

  it('sends again under the same key when the answer was lost or the server failed, and the backend keeps the report once', async () => {
    const server = await reportServer();
    server.inject({ kind: 'status', status: 503 });
    server.inject({ kind: 'lose-answer' });
    const { addresses, service } = await setup(1);
    const console = service(() => server.url);
    const [report] = await console.updateAll(addresses);
    await until(() => console.outbox.store.list('delivered').length === 1);
    expect(server.posts).toBe(3);
    expect(server.postsPerKey()).toEqual(new Map([[`update:${report!.jobId}`, 3]]));
    expect(server.reports).toHaveLength(1);
    expect(console.outbox.store.list()).toMatchObject([{ status: 'delivered', attempts: 3 }]);
  });

  it('holds reports while no endpoint is configured and sends them once one is', async () => {
    const server = await reportServer();
    let configured: string | null = null;
    const { addresses, service } = await setup(1);
    const console = service(() => configured);
    const [report] = await console.updateAll(addresses);
    await until(() => (console.outbox.store.list()[0]?.attempts ?? 0) >= 1);
    expect(console.outbox.store.list()[0]).toMatchObject({ status: 'pending', lastError: expect.stringContaining(E.BACKEND_CONFIG.code) });
    configured = server.url;
    await until(() => server.reports.length === 1);
    expect(server.reports[0]!.key).toBe(`update:${report!.jobId}`);
  });

  it('stops retrying a report the endpoint refuses as bad and keeps it for support', async () => {
    const server = await reportServer();
    server.inject({ kind: 'status', status: 422 });
    const { addresses, service } = await setup(1);
    const console = service(() => server.url);
    await console.updateAll(addresses);
    await until(() => console.outbox.store.list('rejected').length === 1);
    await new Promise((resolve) => setTimeout(resolve, FAST.maxDelayMs * 2));
    expect(server.posts).toBe(1);
    expect(console.outbox.store.list()[0]!.lastError).toContain(E.BACKEND_REJECTED.code);
  });
});
