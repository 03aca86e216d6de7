import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import type { ConsoleService } from '../shared/contract';
import { MAX_STAGED_IMAGE_BYTES } from '../shared/contract';
import { serveService } from '../shared/rpc';
import { isOwnHost, isOwnOrigin } from './origin-check';
import { createStaticHandler } from './static-files';
import { SECURITY_HEADERS } from './security-headers';
import { socketMessageLink } from './socket-link';

/** The station listens on the loopback interface only: it flashes devices and must not be reachable from the network. */
export const STATION_HOST = '127.0.0.1';
/** Path of the contract's WebSocket endpoint. */
export const RPC_PATH = '/rpc';
/** Largest WebSocket message: a staged image of the contract's maximum size in base64, plus the envelope. */
export const MAX_MESSAGE_BYTES = Math.ceil(MAX_STAGED_IMAGE_BYTES / 3) * 4 + 64 * 1024;
/** Interval of WebSocket pings that find browsers which vanished without closing. */
const PING_INTERVAL_MS = 15_000;

/** The built renderer; ZUC_RENDERER_DIR points elsewhere (a build made with `vite build renderer --outDir DIR`). */
export const DEFAULT_STATIC_DIR = process.env.ZUC_RENDERER_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../renderer/dist');

export interface StationOptions {
  service: ConsoleService;
  /** TCP port; 0 picks a free one. */
  port?: number;
  /** Folder with the built renderer. */
  staticDir?: string;
  /** Overrides MAX_MESSAGE_BYTES (tests). */
  maxMessageBytes?: number;
}

export interface RunningStation {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  close(): Promise<void>;
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/**
 * Serves the console page and the contract over WebSocket on 127.0.0.1.
 * Only the console page itself may open the WebSocket (Origin and Host are
 * checked), so another site open in the same browser cannot flash terminals.
 */
export async function startStation(options: StationOptions): Promise<RunningStation> {
  const { service } = options;
  const serveStatic = createStaticHandler(options.staticDir ?? DEFAULT_STATIC_DIR);
  let port = 0;

  const server = createServer((req, res) => {
    if (!isOwnHost(req.headers.host, port)) {
      res.writeHead(421, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('This console answers only at 127.0.0.1 or localhost.\n');
    }
    void serveStatic(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS);
      res.end();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? MAX_MESSAGE_BYTES });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const pathname = new URL(req.url ?? '/', 'http://station').pathname;
    if (pathname !== RPC_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!isOwnHost(req.headers.host, port)) return refuseUpgrade(socket, 421, 'Misdirected Request');
    if (!isOwnOrigin(req.headers.origin, port)) return refuseUpgrade(socket, 403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws) => {
    let alive = true;
    ws.on('pong', () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, PING_INTERVAL_MS);
    ws.on('error', () => ws.terminate());
    const serving = serveService(service, socketMessageLink(ws));
    ws.on('close', () => {
      clearInterval(ping);
      serving.dispose();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, STATION_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${STATION_HOST}:${port}/`,
    port,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
