import { stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { E, ZucError } from '../../electron/shared/errors';
import type { ByteLink, Disposable } from './byte-link';
import { LinkEvents } from './link-events';

class SerialLink implements ByteLink {
  readonly kind = 'serial' as const;
  private readonly events = new LinkEvents();
  private closing = false;
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(
    readonly address: string,
    private readonly port: SerialPort,
  ) {
    port.on('data', (chunk: Buffer) => this.events.emitData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    port.on('error', () => undefined); // 'close' follows for fatal errors
    port.on('close', (err?: Error) => {
      this.events.emitClose(this.closing ? undefined : new ZucError(E.LINK_LOST, `${address}: ${err?.message ?? 'the port closed'}`));
    });
  }

  get closed(): boolean {
    return this.events.closed;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.closed || this.closing) return Promise.reject(new ZucError(E.LINK_LOST, `${this.address} is closed`));
    const lost = (err: Error): ZucError => new ZucError(E.LINK_LOST, `${this.address}: ${err.message}`, { cause: err });
    const done = new Promise<void>((resolve, reject) => {
      this.port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (err) => {
        if (err) return reject(lost(err));
        // Drained means the bytes left the OS buffer, not only Node's.
        this.port.drain((drainErr) => (drainErr ? reject(lost(drainErr)) : resolve()));
      });
    });
    this.lastWrite = done.catch(() => undefined);
    return done;
  }

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
    await this.lastWrite;
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
  return new SerialLink(address, port);
}
