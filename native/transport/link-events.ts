import type { ZucError } from '../../electron/shared/errors';
import type { Disposable } from './byte-link';

/**
 * Listener bookkeeping shared by every ByteLink: data goes to every
 * listener in registration order; close fires exactly once, also for a
 * listener registered after the link closed (so nobody waits forever).
 */
export class LinkEvents {
  private dataListeners = new Set<(chunk: Uint8Array) => void>();
  private closeListeners = new Set<(error?: ZucError) => void>();
  private closedWith: { error?: ZucError } | undefined;

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  onData(listener: (chunk: Uint8Array) => void): Disposable {
    this.dataListeners.add(listener);
    return { dispose: () => this.dataListeners.delete(listener) };
  }

  onClose(listener: (error?: ZucError) => void): Disposable {
    if (this.closedWith) {
      const { error } = this.closedWith;
      queueMicrotask(() => listener(error));
      return { dispose: () => undefined };
    }
    this.closeListeners.add(listener);
    return { dispose: () => this.closeListeners.delete(listener) };
  }

  emitData(chunk: Uint8Array): void {
    if (this.closedWith) return;
    for (const l of [...this.dataListeners]) l(chunk);
  }

  /** Marks the link closed and tells the listeners; later calls do nothing. */
  emitClose(error?: ZucError): void {
    if (this.closedWith) return;
    this.closedWith = error ? { error } : {};
    const listeners = [...this.closeListeners];
    this.closeListeners.clear();
    this.dataListeners.clear();
    for (const l of listeners) l(error);
  }
}
