import type { TransportKind } from '../../electron/shared/contract';
import { E, ZucError } from '../../electron/shared/errors';
import type { ByteLink, Disposable } from './byte-link';
import { LinkEvents } from './link-events';

/**
 * What every ByteLink does the same way: listener bookkeeping, writes kept
 * in call order, and a close that runs once (a second close() while the
 * first is letting go waits for the same close). A transport says how bytes
 * leave (write) and how it lets go of its device or socket (shutdown).
 */
export abstract class LinkBase implements ByteLink {
  abstract readonly kind: TransportKind;
  protected readonly events = new LinkEvents();
  /** close() began and has not finished yet. */
  protected closing = false;
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(readonly address: string) {}

  get closed(): boolean {
    return this.events.closed;
  }

  abstract write(bytes: Uint8Array): Promise<void>;

  /** Lets go of the transport and emits the close; called once, by close(). */
  protected abstract shutdown(): Promise<void>;

  onData(listener: (chunk: Uint8Array) => void): Disposable {
    return this.events.onData(listener);
  }

  onClose(listener: (error?: ZucError) => void): Disposable {
    return this.events.onClose(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.closing) return new Promise((resolve) => this.events.onClose(() => resolve()));
    this.closing = true;
    await this.shutdown();
  }

  /** The LINK_LOST a write to a closed (or closing) link rejects with. */
  protected closedError(): ZucError {
    return new ZucError(E.LINK_LOST, `${this.address} is closed`);
  }

  /** The LINK_LOST a failed write or a vanished device ends the link with, naming the cause. */
  protected lostError(err: Error): ZucError {
    return new ZucError(E.LINK_LOST, `${this.address}: ${err.message}`, { cause: err });
  }

  /** Runs `send` once every earlier queued write settled, so bytes go out in call order; a failed write does not stop later ones. */
  protected queueWrite(send: () => Promise<void>): Promise<void> {
    const result = this.lastWrite.then(send);
    this.lastWrite = result.catch(() => undefined);
    return result;
  }

  /** Settles when every write queued so far settled. */
  protected writesSettled(): Promise<void> {
    return this.lastWrite;
  }
}
