import { describe, expect, it } from 'vitest';
import { ProgressMeter } from './progress-meter';

describe('progress meter', () => {
  it('reports bytes, a rate and an ETA that follow a steady transfer', () => {
    const meter = new ProgressMeter(10_000, 0);
    expect(meter.current()).toEqual({ bytesDone: 0, bytesTotal: 10_000, bytesPerSecond: 0, etaMs: null });
    // 1000 bytes every 100 ms: 10 000 B/s.
    let p = meter.update(1000, 100);
    expect(p).toEqual({ bytesDone: 1000, bytesTotal: 10_000, bytesPerSecond: 10_000, etaMs: 900 });
    p = meter.update(2000, 200);
    expect(p.bytesPerSecond).toBe(10_000);
    expect(p.etaMs).toBe(800);
    expect(meter.update(10_000, 1000)).toEqual({ bytesDone: 10_000, bytesTotal: 10_000, bytesPerSecond: 10_000, etaMs: 0 });
  });

  it('smooths a sudden stall instead of jumping to zero, and never lets bytes go backwards', () => {
    const meter = new ProgressMeter(100_000, 0);
    meter.update(10_000, 1000);
    const stalled = meter.update(10_000, 2000);
    expect(stalled.bytesPerSecond).toBe(8000);
    expect(meter.update(5000, 2100).bytesDone).toBe(10_000);
  });

  it('merges acknowledgements that arrive in a burst', () => {
    const meter = new ProgressMeter(100_000, 0);
    meter.update(1000, 100);
    // 50 000 bytes acknowledged 1 ms later would read as 49 MB/s without merging.
    expect(meter.update(51_000, 101).bytesPerSecond).toBe(10_000);
  });

  it('shows the average since the start when the transfer ends before the first full sample', () => {
    const meter = new ProgressMeter(6_000_000, 0);
    expect(meter.update(3_000_000, 20)).toEqual({ bytesDone: 3_000_000, bytesTotal: 6_000_000, bytesPerSecond: 150_000_000, etaMs: 20 });
    expect(meter.update(6_000_000, 40)).toEqual({ bytesDone: 6_000_000, bytesTotal: 6_000_000, bytesPerSecond: 150_000_000, etaMs: 0 });
  });
});
