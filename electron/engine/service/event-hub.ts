import type { Disposable, Event } from '../../shared/contract';

/** One contract event: `event` is what the service exposes, `fire` what the engine calls. */
export class EventHub<T> {
  private readonly listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) } satisfies Disposable;
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      // One faulty listener (a closed socket, a UI bug) must not stop a flash or starve the others.
      try {
        listener(value);
      } catch {
        continue;
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
