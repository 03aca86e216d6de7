/**
 * Delays deliveries so bytes flow no faster than `bytesPerSecond`, like a
 * UART at a given baud rate. Deliveries keep their order.
 */
export class LinkPacer {
  private nextFreeMs = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly bytesPerSecond: number | undefined) {}

  schedule(bytes: number, deliver: () => void): void {
    if (!this.bytesPerSecond) return deliver();
    const now = performance.now();
    this.nextFreeMs = Math.max(now, this.nextFreeMs) + (bytes * 1000) / this.bytesPerSecond;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      deliver();
    }, this.nextFreeMs - now);
    this.timers.add(timer);
  }

  /** Drops whatever is still scheduled (the link went away). */
  cancel(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.nextFreeMs = 0;
  }
}
