import net from 'node:net';
import { E, ZucError } from '../../electron/shared/errors';
import type { ByteLink } from './byte-link';
import { LinkBase } from './link-base';

export const CONNECT_TIMEOUT_MS = 3000;

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET']);

class TcpLink extends LinkBase {
  readonly kind = 'tcp' as const;
  /** writeParts corked the socket until the end of this tick. */
  private corked = false;

  constructor(
    address: string,
    private readonly socket: net.Socket,
  ) {
    super(address);
    socket.on('data', (chunk: Buffer) => this.events.emitData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.on('error', () => undefined); // 'close' follows and reports it
    socket.on('close', (hadError) => {
      const lost = this.closing ? undefined : new ZucError(E.LINK_LOST, `${address}: the terminal closed the connection${hadError ? ' with an error' : ''}`);
      this.events.emitClose(lost);
    });
    socket.on('end', () => socket.end());
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.closed || this.closing || this.socket.destroyed) return Promise.reject(this.closedError());
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (err) => (err ? reject(this.lostError(err)) : resolve()));
    });
  }

  /**
   * The parts of every writeParts call in the same tick leave in one writev
   * call (corked until the tick ends): a chunk's data is never copied into a
   * frame buffer, and chunks sent together cost one system call, not one each.
   */
  writeParts(parts: readonly Uint8Array[]): Promise<void> {
    if (this.closed || this.closing || this.socket.destroyed) return Promise.reject(this.closedError());
    if (parts.length === 0) return Promise.resolve();
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    return new Promise((resolve, reject) => {
      parts.forEach((part, i) => {
        const last = i === parts.length - 1;
        this.socket.write(part, last ? (err) => (err ? reject(this.lostError(err)) : resolve()) : undefined);
      });
    });
  }

  protected shutdown(): Promise<void> {
    return new Promise((resolve) => {
      this.events.onClose(() => resolve());
      // end() sends what is queued, then FIN; destroy if the peer never answers.
      this.socket.end();
      setTimeout(() => this.socket.destroy(), CONNECT_TIMEOUT_MS).unref();
    });
  }
}

/** Wraps an accepted or connected socket as a ByteLink (the simulator's side of a TCP link). */
export function tcpLinkFromSocket(address: string, socket: net.Socket): ByteLink {
  socket.setNoDelay(true);
  return new TcpLink(address, socket);
}

/** Connects to a terminal's agent over TCP. */
export function openTcpLink(address: string, host: string, port: number, connectTimeoutMs = CONNECT_TIMEOUT_MS): Promise<ByteLink> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ZucError(E.TERMINAL_UNREACHABLE, `${address}: no answer within ${connectTimeoutMs} ms`));
    }, connectTimeoutMs);
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const code = err.code ?? '';
      reject(new ZucError(UNREACHABLE_CODES.has(code) ? E.TERMINAL_UNREACHABLE : E.LINK_LOST, `${address}: ${code || err.message}`, { cause: err }));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(tcpLinkFromSocket(address, socket));
    });
  });
}
