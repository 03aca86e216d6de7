import { write as fsWrite } from 'node:fs';
import { stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { E, ZucError } from '../../electron/shared/errors';
import type { ByteLink } from './byte-link';
import { LinkBase } from './link-base';

/** Errors that mean the device is gone (unplugged, or the PTY's other end closed). */
const LOST_CODES = new Set(['EIO', 'ENXIO', 'ENODEV', 'EBADF']);

/** How often an open port checks that its device node still exists. */
export const SERIAL_PRESENCE_CHECK_MS = 250;
/** How long close() waits for queued bytes to leave; a peer that never reads must not hang it. */
export const CLOSE_DRAIN_TIMEOUT_MS = 2000;
/** Retry pause when the port's output buffer is full (EAGAIN). */
export const SERIAL_WRITE_RETRY_MS = 1;

function writeOnce(fd: number, bytes: Uint8Array, offset: number): Promise<number> {
  return new Promise((resolve, reject) => fsWrite(fd, bytes, offset, bytes.length - offset, null, (err, written) => (err ? reject(err) : resolve(written))));
}

/**
 * Writes every byte to a non-blocking fd, pausing on EAGAIN. serialport's own
 * write waits for "writable" through a poller that a concurrent read wait
 * overwrites (bindings-cpp Poller::poll starts uv_poll with only the newest
 * event), so a full-duplex burst could stall forever; this path never uses it.
 */
async function writeAll(fd: number, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += await writeOnce(fd, bytes, offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      await new Promise((resolve) => setTimeout(resolve, SERIAL_WRITE_RETRY_MS));
    }
  }
}

class SerialLink extends LinkBase {
  readonly kind = 'serial' as const;
  private readonly presence: NodeJS.Timeout;

  constructor(
    address: string,
    private readonly port: SerialPort,
    path: string,
  ) {
    super(address);
    // An unplugged adapter (or a PTY whose other end closed) may only show as
    // reads of 0 bytes; its device node vanishing is the dependable sign.
    this.presence = setInterval(() => {
      stat(path).catch((err: Error) => this.lose(new Error(`the device is gone (${(err as NodeJS.ErrnoException).code ?? err.message})`)));
    }, SERIAL_PRESENCE_CHECK_MS);
    this.presence.unref();
    this.events.onClose(() => clearInterval(this.presence));
    port.on('data', (chunk: Buffer) => this.events.emitData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    // serialport reports a vanished device (EIO on a PTY whose other end closed) as
    // an error without closing; to the console that is the link gone.
    port.on('error', (err: NodeJS.ErrnoException) => {
      if (LOST_CODES.has(err.code ?? '')) this.lose(err);
    });
    port.on('close', (err?: Error) => {
      this.events.emitClose(this.closing ? undefined : new ZucError(E.LINK_LOST, `${address}: ${err?.message ?? 'the port closed'}`));
    });
  }

  private lose(err: Error): void {
    if (this.closed || this.closing) return;
    this.events.emitClose(this.lostError(err));
    if (this.port.isOpen) this.port.close(() => undefined);
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.closed || this.closing) return Promise.reject(this.closedError());
    const fd = (this.port.port as { fd?: unknown } | undefined)?.fd;
    const copy = bytes.slice(); // the caller may reuse its buffer
    const send = (): Promise<void> =>
      typeof fd === 'number'
        ? writeAll(fd, copy)
        : new Promise((resolve, reject) => this.port.write(Buffer.from(copy.buffer), (err) => (err ? reject(err) : resolve())));
    return this.queueWrite(async () => {
      if (this.closed) throw this.closedError();
      try {
        await send();
      } catch (err) {
        if (LOST_CODES.has((err as NodeJS.ErrnoException).code ?? '')) this.lose(err as Error);
        throw this.lostError(err as Error);
      }
    });
  }

  protected async shutdown(): Promise<void> {
    const drained = this.writesSettled().then(() => new Promise<void>((resolve) => (this.port.isOpen ? this.port.drain(() => resolve()) : resolve())));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_DRAIN_TIMEOUT_MS)))]);
    clearTimeout(timer);
    await new Promise<void>((resolve) => {
      this.events.onClose(() => resolve());
      if (!this.port.isOpen) this.events.emitClose();
      else this.port.close(() => this.events.emitClose());
    });
  }
}

/**
 * Opens a serial device (UART, CDC-ACM, PTY). Modem lines (DTR/RTS) are left
 * alone: setting them fails on a PTY and the agent does not use them.
 */
export async function openSerialLink(address: string, path: string, baudRate: number): Promise<ByteLink> {
  try {
    await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ZucError(E.PORT_OPEN_FAILED, `${path}: ${code === 'ENOENT' ? 'no such device' : (code ?? String(err))}`, { cause: err });
  }
  const port = new SerialPort({ path, baudRate, autoOpen: false, hupcl: false });
  await new Promise<void>((resolve, reject) => {
    port.open((err) => (err ? reject(new ZucError(E.PORT_OPEN_FAILED, `${path}: ${err.message}`, { cause: err })) : resolve()));
  });
  return new SerialLink(address, port, path);
}
