import { RATE_WINDOW_MS } from './download-limits';

/** Transfer rate over the last few seconds, so a stall shows as a falling rate rather than a lifetime average. */
export class TransferRate {
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Records the running byte count; returns bytes per second over the window. */
  sample(totalBytes: number): number {
    const at = this.now();
    this.samples.push({ at, bytes: totalBytes });
    while (this.samples.length > 2 && at - this.samples[1]!.at >= RATE_WINDOW_MS) this.samples.shift();
    const oldest = this.samples[0]!;
    const elapsedMs = at - oldest.at;
    return elapsedMs > 0 ? Math.round(((totalBytes - oldest.bytes) * 1000) / elapsedMs) : 0;
  }
}
