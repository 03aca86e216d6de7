import type { Progress } from '../../shared/contract';

/** Weight of the newest rate sample; lower is smoother, higher follows changes faster. */
const RATE_SMOOTHING = 0.2;
/** Samples closer together than this are merged, so bursts of acknowledgements do not spike the rate (ms). */
const MIN_SAMPLE_INTERVAL_MS = 100;

/**
 * Turns "bytes acknowledged so far" into bytes, a smoothed rate and an ETA.
 * The rate is an exponential moving average over samples at least
 * MIN_SAMPLE_INTERVAL_MS apart, so the ETA does not jump with every chunk.
 */
export class ProgressMeter {
  private bytesDone = 0;
  private rate = 0;
  private lastSampleAt: number;
  private lastSampleBytes = 0;

  constructor(
    private readonly bytesTotal: number,
    startedAt: number,
  ) {
    this.lastSampleAt = startedAt;
  }

  update(bytesDone: number, now: number): Progress {
    this.bytesDone = Math.min(Math.max(bytesDone, this.bytesDone), this.bytesTotal);
    const elapsed = now - this.lastSampleAt;
    if (elapsed >= MIN_SAMPLE_INTERVAL_MS) {
      const sample = ((this.bytesDone - this.lastSampleBytes) * 1000) / elapsed;
      this.rate = this.rate === 0 ? sample : this.rate + RATE_SMOOTHING * (sample - this.rate);
      this.lastSampleAt = now;
      this.lastSampleBytes = this.bytesDone;
    }
    return this.current();
  }

  current(): Progress {
    const left = this.bytesTotal - this.bytesDone;
    return {
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      bytesPerSecond: Math.round(this.rate),
      etaMs: left === 0 ? 0 : this.rate > 0 ? Math.round((left * 1000) / this.rate) : null,
    };
  }
}
