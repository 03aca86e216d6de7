import { E, ZucError } from '../../electron/shared/errors';
import type { ByteLink } from './byte-link';
import { LinkBase } from './link-base';

/** One end of an in-process link; bytes arrive at the peer asynchronously, in order. */
class MemoryLink extends LinkBase {
  readonly kind = 'memory' as const;
  peer: MemoryLink | undefined;

  write(bytes: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    // Copy now: the caller may reuse its buffer once write() returned.
    const copy = bytes.slice();
    const peer = this.peer;
    return new Promise((resolve) => {
      setImmediate(() => {
        peer?.events.emitData(copy);
        resolve();
      });
    });
  }

  protected async shutdown(): Promise<void> {
    // Let writes already queued reach the peer before it hears of the close.
    await new Promise((resolve) => setImmediate(resolve));
    this.events.emitClose();
    this.peer?.events.emitClose(new ZucError(E.LINK_LOST, `${this.address}: the other end closed`));
  }
}

/** Two connected in-memory links: what one writes, the other receives. */
export function createMemoryLinkPair(name = 'memory'): [ByteLink, ByteLink] {
  const a = new MemoryLink(`memory://${name}/a`);
  const b = new MemoryLink(`memory://${name}/b`);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
