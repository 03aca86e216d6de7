import { describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import { applyDelta } from '../delta';
import { FirmwareLibrary } from '../sources';
import { fleetLibrary, startFleet, updateEngine, updateService } from './update-test-kit';

describe('updating terminals that apply deltas themselves (agent protocol 2)', () => {
  it('sends only the delta over the link; the terminal builds the target and boots it', async () => {
    const library = await fleetLibrary();
    const [member] = await startFleet(1, ['B02'], [], { deltaApplier: applyDelta });
    const { engine, dataDir } = await updateEngine();
    const service = updateService(engine, dataDir, (cache) => [new FirmwareLibrary(library.dir, cache)]);

    const report = await service.update(member!.terminal.address);

    expect(report).toMatchObject({ result: 'success', code: E.SUCCESS.code, package: library.deltaId('MF286D'), delta: true, fromVersion: 'B02', toVersion: 'B03' });
    expect(report.bytesSaved).toBeGreaterThan(0);
    const image = await member!.terminal.readSlot(member!.terminal.inspect().activeSlot);
    // The patch, not the 64 KiB image, crossed the link.
    expect(report.bytesSent).toBeLessThan(image.length / 4);
    expect(member!.terminal.inspect().slots[member!.terminal.inspect().activeSlot]).toMatchObject({ version: 'B03', state: 'good' });
    const log = (await engine.getJobLog({ jobId: report.jobId })).map((l) => l.message);
    expect(log.some((m) => m.includes('applied by the terminal'))).toBe(true);
  });

  it('falls back to the full package when the terminal’s delta fails, before anything was activated', async () => {
    const library = await fleetLibrary();
    const [member] = await startFleet(1, ['B02'], [], { deltaApplier: applyDelta, faults: [{ kind: 'delta-corrupt' }] });
    const { engine, dataDir } = await updateEngine();
    const service = updateService(engine, dataDir, (cache) => [new FirmwareLibrary(library.dir, cache)]);

    const report = await service.update(member!.terminal.address);

    expect(report).toMatchObject({ result: 'success', package: library.fullId('MF286D'), delta: false, bytesSaved: 0, toVersion: 'B03' });
    const history = await engine.listHistory({});
    expect(history.map((r) => r.result).sort()).toEqual(['failed', 'success']);
    expect(member!.terminal.inspect().slots[member!.terminal.inspect().activeSlot].version).toBe('B03');
  });
});
