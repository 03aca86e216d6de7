import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the test report server did with one request. */
export interface ReceivedReport {
  key: string;
  body: unknown;
}

export type ReportServerFault = { kind: 'status'; status: number } | { kind: 'lose-answer' };

/**
 * Tests only: a backend report endpoint on 127.0.0.1 that keeps each report
 * once per `Idempotency-Key` (as a backend honouring the header does) and
 * counts every POST, so a test sees both what the backend kept and how
 * often the console sent.
 */
export interface ReportTestServer {
  url: string;
  /** Reports kept, one per key, in arrival order. */
  readonly reports: readonly ReceivedReport[];
  /** Every POST that reached the handler, repeats included. */
  readonly posts: number;
  /** How many POSTs carried each key. */
  postsPerKey(): Map<string, number>;
  /** The next `times` requests get the fault. */
  inject(fault: ReportServerFault, times?: number): void;
  /** Stops listening (connections refused) until `up()`, on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReportTestServer(): Promise<ReportTestServer> {
  const kept = new Map<string, ReceivedReport>();
  const perKey = new Map<string, number>();
  const faults: ReportServerFault[] = [];
  let posts = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    if (req.method !== 'POST') return void res.writeHead(405).end();
    posts++;
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') return void res.writeHead(400).end('{"error":"Idempotency-Key missing"}');
    perKey.set(key, (perKey.get(key) ?? 0) + 1);
    const fault = faults.shift();
    if (fault?.kind === 'status') return void res.writeHead(fault.status).end();
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return void res.writeHead(400).end('{"error":"not JSON"}');
    }
    if (!kept.has(key)) kept.set(key, { key, body });
    // Acted on, answer lost: the console cannot tell this from a failure.
    if (fault?.kind === 'lose-answer') return void req.socket.destroy();
    res.writeHead(kept.get(key)!.body === body ? 201 : 200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const listening = (): Promise<void> => new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  const stopped = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return {
    url: `http://127.0.0.1:${port}/reports`,
    get reports() {
      return [...kept.values()];
    },
    get posts() {
      return posts;
    },
    postsPerKey: () => new Map(perKey),
    inject(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    down: stopped,
    up: listening,
    close: async () => {
      if (server.listening) await stopped();
    },
  };
}
