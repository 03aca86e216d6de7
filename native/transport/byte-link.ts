import type { TransportKind } from '../../electron/shared/contract';
import type { ZucError } from '../../electron/shared/errors';

export interface Disposable {
  dispose(): void;
}

/**
 * A two-way byte stream to one terminal: a TCP socket, a serial port, a USB
 * bulk pipe or an in-memory pair. Implementations are thin; framing and
 * timeouts belong to the protocol layer.
 */
export interface ByteLink {
  readonly kind: TransportKind;
  /** The address it was opened with, e.g. `tcp://127.0.0.1:5600` or `/dev/ttyUSB0`. */
  readonly address: string;
  /** True once the link closed, by either side. */
  readonly closed: boolean;
  /**
   * Sends bytes. Writes are queued and go out in call order; the promise
   * resolves when the bytes were handed to the OS (close() drains them) and
   * rejects with LINK_LOST when the link is or becomes closed.
   */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * Sends `parts` back to back as one write (a frame's header, data and CRC)
   * without joining them first; same ordering and errors as write(). The
   * link may read the parts until the promise settles: do not change them
   * before. Links without it are written the joined bytes.
   */
  writeParts?(parts: readonly Uint8Array[]): Promise<void>;
  /**
   * Every chunk as it arrives; chunk boundaries carry no meaning. A link
   * never reuses a chunk it delivered, so a listener may keep views of it
   * (the frame decoder hands out payloads without copying them).
   */
  onData(listener: (chunk: Uint8Array) => void): Disposable;
  /** Fires once when the link closes: without an error after close(), with LINK_LOST otherwise. */
  onClose(listener: (error?: ZucError) => void): Disposable;
  /** Closes the link after pending writes drained; idempotent. */
  close(): Promise<void>;
}
