import type { Progress } from '../../shared/contract';

/** Weight of the newest rate sample; lower is smoother, higher follows changes faster. */
const RATE_SMOOTHING = 0.2;
/** Samples closer together than this are merged, so bursts of acknowledgements do not spike the rate (ms). */
const MIN_SAMPLE_INTERVAL_MS = 100;

/**
 * Turns "bytes acknowledged so far" into bytes, a smoothed rate and an ETA.
 * The rate is an exponential moving average over samples at least
 * MIN_SAMPLE_INTERVAL_MS apart, so the ETA does not jump with every chunk.
 * Before the first such sample (a transfer shorter than that interval), the
 * average since the start is shown instead of "0 B/s".
 */
export class ProgressMeter {
  private bytesDone = 0;
  private rate = 0;
  /** Shown until the first full sample: bytes since the start over the time since the start. */
  private firstRate = 0;
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
    } else if (this.rate === 0 && elapsed > 0) {
      this.firstRate = ((this.bytesDone - this.lastSampleBytes) * 1000) / elapsed;
    }
    return this.current();
  }

  current(): Progress {
    const left = this.bytesTotal - this.bytesDone;
    const rate = this.rate > 0 ? this.rate : this.firstRate;
    return {
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      bytesPerSecond: Math.round(rate),
      etaMs: left === 0 ? 0 : rate > 0 ? Math.round((left * 1000) / rate) : null,
    };
  }
}
