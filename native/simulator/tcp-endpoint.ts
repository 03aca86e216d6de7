import net from 'node:net';
import type { ByteLink } from '../transport/byte-link';
import { tcpLinkFromSocket } from '../transport/tcp-link';

const LISTEN_RETRIES = 20;
/** Connections served at once; a new one beyond this drops the oldest (a console that vanished without closing). */
export const MAX_TCP_CONNECTIONS = 4;
const LISTEN_RETRY_DELAY_MS = 50;

/**
 * The terminal's TCP agent on 127.0.0.1. While the terminal boots the port
 * is closed (connections are refused). Several consoles may be connected
 * (one polling identity while another writes); each has its own sequence.
 */
export class TcpEndpoint {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private port: number;

  constructor(
    port: number,
    private readonly accept: (link: ByteLink, drop: () => void) => void,
  ) {
    this.port = port;
  }

  get address(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  /** Starts listening; the first call picks the port when it was 0. */
  async online(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((socket) => {
      if (this.sockets.size >= MAX_TCP_CONNECTIONS) [...this.sockets][0]!.destroy();
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      this.accept(tcpLinkFromSocket(this.address, socket), () => socket.destroy());
    });
    for (let attempt = 0; ; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(this.port, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
          });
        });
        break;
      } catch (err) {
        // After a reboot the same port may still be in TIME_WAIT hands for a moment.
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= LISTEN_RETRIES || this.port === 0) throw err;
        await new Promise((resolve) => setTimeout(resolve, LISTEN_RETRY_DELAY_MS));
      }
    }
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops every connection (reboot, power off). */
  async offline(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
