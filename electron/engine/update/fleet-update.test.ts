import { describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import { FirmwareLibrary } from '../sources';
import { fleetLibrary, startFleet, updateEngine, updateService } from './update-test-kit';

describe('updating a fleet from the local firmware library', () => {
  it('gives each of 8 terminals of 3 models its package (delta where the base matches) and ends all on the target', async () => {
    const library = await fleetLibrary();
    const fleet = await startFleet(8, ['B01', 'B02']);
    const { engine, dataDir } = await updateEngine();
    const service = updateService(engine, dataDir, (cache) => [new FirmwareLibrary(library.dir, cache)], 3);

    const reports = await service.updateAll(fleet.map((m) => m.terminal.address));

    expect(reports).toHaveLength(8);
    reports.forEach((report, i) => {
      const { model, version, terminal } = fleet[i]!;
      const delta = version === 'B02';
      expect(report, `${terminal.address} ${model.model} on ${version}`).toMatchObject({
        result: 'success',
        code: E.SUCCESS.code,
        model: model.model,
        serial: terminal.serial,
        fromVersion: version,
        toVersion: 'B03',
        package: delta ? library.deltaId(model.model) : library.fullId(model.model),
        delta,
      });
      if (delta) expect(report.bytesSaved).toBeGreaterThan(0);
      else expect(report.bytesSaved).toBe(0);
      expect(report.stages.find((s) => s.name === 'download')?.status).toMatch(/done|skipped/);
      expect(terminal.inspect().slots[terminal.inspect().activeSlot]).toMatchObject({ version: 'B03', state: 'good' });
    });
    const history = await engine.listHistory({});
    expect(history.filter((r) => r.result === 'success' && r.toVersion === 'B03').map((r) => r.serial).sort()).toEqual(fleet.map((m) => m.terminal.serial).sort());
    expect(service.stats.maxRunning).toBeLessThanOrEqual(3);
    // Each job has its own log, starting with what the update job found before the flash pipeline took over.
    const log = await engine.getJobLog({ jobId: reports[1]!.jobId });
    expect(log[0]?.message).toContain(`serial ${fleet[1]!.terminal.serial}`);
    expect(log.some((l) => l.message.includes('route: delta'))).toBe(true);
    expect(service.outbox.store.list('pending')).toHaveLength(8);
  });

  it('keeps updating the others when one terminal fails to boot the new firmware, and never runs more jobs than the limit', async () => {
    const library = await fleetLibrary();
    const fleet = await startFleet(5, ['B01'], [1]);
    const { engine, dataDir } = await updateEngine();
    const service = updateService(engine, dataDir, (cache) => [new FirmwareLibrary(library.dir, cache)], 2);
    const active = new Set<string>();
    let maxActive = 0;
    const watch = engine.onJobChanged((view) => {
      if (view.state.kind === 'done') active.delete(view.id);
      else active.add(view.id);
      maxActive = Math.max(maxActive, active.size);
    });

    const reports = await service.updateAll(fleet.map((m) => m.terminal.address));
    watch.dispose();

    expect(reports.map((r) => r.result)).toEqual(['success', 'rolled-back', 'success', 'success', 'success']);
    expect(reports[1]!.code).toBe(E.BOOT_FAILED_ROLLED_BACK.code);
    expect(fleet[1]!.terminal.inspect().slots[fleet[1]!.terminal.inspect().activeSlot].version).toBe('B01');
    expect(maxActive).toBe(2);
    expect(service.stats).toMatchObject({ maxRunning: 2, started: 5, finished: 5 });
  });

  it('downloads a package once for every terminal that needs it: the second job finds it in the cache', async () => {
    const library = await fleetLibrary();
    const fleet = await startFleet(1, ['B01']);
    const { engine, dataDir } = await updateEngine();
    const service = updateService(engine, dataDir, (cache) => [new FirmwareLibrary(library.dir, cache)], 1);
    const first = await service.update(fleet[0]!.terminal.address);
    expect(first.stages.find((s) => s.name === 'download')?.status).toBe('done');
    const twin = await startFleet(1, ['B01']);
    const second = await service.update(twin[0]!.terminal.address);
    expect(second).toMatchObject({ result: 'success', package: first.package });
    expect(second.stages.find((s) => s.name === 'download')?.status).toBe('skipped');
    // The history keeps the download stage of each job, as the update job saw it.
    const stored = await engine.listHistory({});
    const downloadOf = (jobId: string) => stored.find((r) => r.jobId === jobId)?.stages.find((s) => s.name === 'download');
    expect(downloadOf(first.jobId)).toMatchObject({ status: 'done', ms: expect.any(Number) });
    expect(downloadOf(second.jobId)?.status).toBe('skipped');
  });

  it('ends with a catalogued code and writes nothing when no source offers an update', async () => {
    const library = await fleetLibrary();
    const fleet = await startFleet(1, ['B03']);
    const { engine, dataDir } = await updateEngine();
    const service = updateService(engine, dataDir, (cache) => [new FirmwareLibrary(library.dir, cache)]);
    const [report] = await service.updateAll([fleet[0]!.terminal.address]);
    expect(report).toMatchObject({ result: 'failed', code: E.UPDATE_NOT_FOUND.code, package: null, bytesSent: 0 });
    expect(fleet[0]!.terminal.inspect().payloadBytesReceived).toBe(0);
    expect((await engine.listHistory({})).map((r) => r.code)).toEqual([E.UPDATE_NOT_FOUND.code]);
  });
});
