interface Delivery {
  dueMs: number;
  deliver: () => void;
}

/**
 * Delays deliveries so bytes flow no faster than `bytesPerSecond`, like a
 * UART at a given baud rate. Deliveries keep their order: they wait in one
 * queue drained by one timer, because separate timers per delivery can fire
 * out of order (Node starts a timer at the event loop's cached time, so two
 * small frames due microseconds apart may swap).
 */
export class LinkPacer {
  private nextFreeMs = 0;
  private readonly queue: Delivery[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly bytesPerSecond: number | undefined) {}

  schedule(bytes: number, deliver: () => void): void {
    if (!this.bytesPerSecond) return deliver();
    const now = performance.now();
    this.nextFreeMs = Math.max(now, this.nextFreeMs) + (bytes * 1000) / this.bytesPerSecond;
    this.queue.push({ dueMs: this.nextFreeMs, deliver });
    this.arm();
  }

  private arm(): void {
    const head = this.queue[0];
    if (this.timer || !head) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // Timers may fire a little early; a millisecond of slack keeps the pace without re-arming for crumbs.
      while (this.queue.length > 0 && this.queue[0]!.dueMs <= performance.now() + 1) this.queue.shift()!.deliver();
      this.arm();
    }, Math.max(0, head.dueMs - performance.now()));
  }

  /** Drops whatever is still scheduled (the link went away). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.nextFreeMs = 0;
  }
}
