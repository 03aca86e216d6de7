import { createHash } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A hawkBit DDI server for tests, built from the documented API (ota-anchors
 * §4): controller base, deploymentBase, cancelAction, artifacts and
 * feedback, with TargetToken / GatewayToken checks, over real HTTP on
 * 127.0.0.1. It can fail on purpose: 5xx answers, hanging requests,
 * malformed JSON, wrong artifact bytes, or being down for a while.
 */

export interface TestArtifact {
  filename: string;
  bytes: Uint8Array;
  /** Announce this SHA-256 instead of the real one (a corrupted or replaced file). */
  announcedSha256?: string;
  /** Announce this size instead of the real one. */
  announcedSize?: number;
}

export interface TestDeployment {
  artifacts: TestArtifact[];
  download?: 'skip' | 'attempt' | 'forced';
  update?: 'skip' | 'attempt' | 'forced';
  maintenanceWindow?: 'available' | 'unavailable';
  version?: string;
}

export interface RecordedFeedback {
  controllerId: string;
  /** `deploymentBase` or `cancelAction`. */
  resource: string;
  actionId: string;
  idempotencyKey: string | null;
  body: {
    id: string;
    time: string;
    status: { execution: string; result: { finished: string; progress?: { cnt: number; of: number } }; code?: number; details: string[] };
  };
}

export interface DdiTestServerOptions {
  tenant?: string;
  /** Token each controller must present as `TargetToken`. */
  targetTokens?: Record<string, string>;
  /** Token any controller may present as `GatewayToken`. */
  gatewayToken?: string;
  /** `config.polling.sleep`, default `00:05:00`. */
  pollingSleep?: string;
  /**
   * false: every feedback POST is kept, repeats included, as the real hawkBit
   * does (it ignores Idempotency-Key). Default true: a repeated key is dropped.
   */
  honourIdempotencyKey?: boolean;
}

interface Action {
  id: string;
  controllerId: string;
  deployment: TestDeployment;
  state: 'open' | 'closed' | 'cancelling' | 'cancelled';
  cancelId?: string;
}

export type Fault =
  | { kind: 'status'; status: number }
  /** Never answers, without acting on the request. */
  | { kind: 'hang' }
  /** Acts on the request (records feedback), then never answers: the client cannot know it arrived. */
  | { kind: 'lose-answer' }
  | { kind: 'malformed' }
  | { kind: 'redirect'; to: string }
  /** An artifact answer that announces the whole file, sends half of it and cuts the connection. */
  | { kind: 'truncate' };

export class DdiTestServer {
  readonly tenant: string;
  /** Feedback the server kept, in arrival order; a repeat of an idempotency key is not kept twice. */
  readonly feedback: RecordedFeedback[] = [];
  /** Every feedback POST that reached the server, repeats included. */
  feedbackPosts = 0;
  /** Attributes each controller sent through configData, merged. */
  readonly attributes = new Map<string, Record<string, string>>();
  /** Every request, as `METHOD path`. */
  readonly requests: string[] = [];
  pollingSleep: string;
  /** Sees every request first (tests check headers). */
  onRequest: (req: IncomingMessage) => void = () => undefined;

  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly actions = new Map<string, Action>();
  private readonly artifacts = new Map<string, Uint8Array>();
  private readonly seenKeys = new Set<string>();
  private readonly silenced = new WeakSet<ServerResponse>();
  private readonly truncated = new WeakSet<ServerResponse>();
  private faults: { match: RegExp; fault: Fault; times: number }[] = [];
  private nextId = 1;
  private port = 0;

  constructor(private readonly options: DdiTestServerOptions = {}) {
    this.tenant = options.tenant ?? 'DEFAULT';
    this.pollingSleep = options.pollingSleep ?? '00:05:00';
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    for (const socket of this.sockets) socket.destroy();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Stops listening (connections are refused) for `ms`, then listens again on the same port. */
  async goDown(ms: number): Promise<void> {
    await this.close();
    setTimeout(() => void this.listen(), ms);
  }

  /** The next `times` requests whose path matches `match` get `fault`. */
  inject(match: RegExp, fault: Fault, times = 1): void {
    this.faults.push({ match, fault, times });
  }

  /** Assigns a deployment to a controller; returns the action id. */
  assign(controllerId: string, deployment: TestDeployment): string {
    const id = String(this.nextId++);
    this.actions.set(id, { id, controllerId, deployment, state: 'open' });
    for (const artifact of deployment.artifacts) this.artifacts.set(`${controllerId}/${id}/${artifact.filename}`, artifact.bytes);
    return id;
  }

  /** An operator cancels the action; the target sees a cancelAction link until it confirms. */
  cancel(actionId: string): string {
    const action = this.actions.get(actionId)!;
    action.state = 'cancelling';
    action.cancelId = String(this.nextId++);
    return action.cancelId;
  }

  actionState(actionId: string): Action['state'] | undefined {
    return this.actions.get(actionId)?.state;
  }

  feedbackFor(actionId: string): RecordedFeedback[] {
    return this.feedback.filter((f) => f.actionId === actionId);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(`${req.method} ${url.pathname}`);
    this.onRequest(req);
    const fault = this.faults.find((f) => f.times > 0 && f.match.test(url.pathname));
    if (fault) {
      fault.times--;
      if (fault.fault.kind === 'hang') {
        this.hanging.add(res);
        return;
      }
      if (fault.fault.kind === 'lose-answer') this.silenced.add(res);
      else if (fault.fault.kind === 'truncate') this.truncated.add(res);
      else if (fault.fault.kind === 'status') return this.send(res, fault.fault.status, { message: 'injected failure' });
      else if (fault.fault.kind === 'redirect') return void res.writeHead(302, { Location: fault.fault.to, 'Content-Length': 0 }).end();
      else return void res.writeHead(200, { 'Content-Type': 'application/hal+json' }).end('{"config": {"polling": ');
    }
    const prefix = `/${this.tenant}/controller/v1/`;
    if (!url.pathname.startsWith(prefix)) return this.send(res, 404, { message: 'unknown tenant or path' });
    const [controllerId, ...rest] = url.pathname.slice(prefix.length).split('/').map(decodeURIComponent);
    if (!controllerId) return this.send(res, 404, { message: 'no controller id' });
    if (!this.authorised(req, controllerId)) return this.send(res, 401, { message: 'unauthorised' });
    if (req.method === 'GET' && rest.length === 0) return this.send(res, 200, this.controllerBase(controllerId));
    const [resource, id, leaf, file] = rest;
    if (resource === 'deploymentBase' && id && req.method === 'GET' && !leaf) return this.sendDeployment(res, controllerId, id, url.searchParams.get('actionHistory'));
    if (resource === 'softwaremodules' && id && leaf === 'artifacts' && file && req.method === 'GET') return this.sendArtifact(res, `${controllerId}/${id}/${file}`);
    if (resource === 'configData' && !id && req.method === 'PUT') return void this.acceptConfigData(req, res, controllerId);
    if (resource === 'cancelAction' && id && req.method === 'GET' && !leaf) return this.sendCancel(res, controllerId, id);
    if ((resource === 'deploymentBase' || resource === 'cancelAction') && id && leaf === 'feedback' && req.method === 'POST') {
      return void this.acceptFeedback(req, res, controllerId, resource, id);
    }
    this.send(res, 404, { message: 'not found' });
  }

  private authorised(req: IncomingMessage, controllerId: string): boolean {
    const header = req.headers.authorization ?? '';
    const target = this.options.targetTokens?.[controllerId];
    if (target !== undefined && header === `TargetToken ${target}`) return true;
    if (this.options.gatewayToken !== undefined && header === `GatewayToken ${this.options.gatewayToken}`) return true;
    return this.options.targetTokens === undefined && this.options.gatewayToken === undefined;
  }

  private controllerBase(controllerId: string): unknown {
    const base = `${this.url}/${this.tenant}/controller/v1/${controllerId}`;
    const links: Record<string, { href: string }> = {};
    const mine = [...this.actions.values()].filter((a) => a.controllerId === controllerId);
    const cancelling = mine.find((a) => a.state === 'cancelling');
    const open = mine.find((a) => a.state === 'open');
    if (cancelling) links.cancelAction = { href: `${base}/cancelAction/${cancelling.cancelId}` };
    else if (open) links.deploymentBase = { href: `${base}/deploymentBase/${open.id}?c=${createHash('md5').update(open.id).digest('hex').slice(0, 8)}` };
    // As hawkBit does until the target sent its attributes once.
    if (!this.attributes.has(controllerId)) links.configData = { href: `${base}/configData` };
    return { config: { polling: { sleep: this.pollingSleep } }, _links: links };
  }

  private sendDeployment(res: ServerResponse, controllerId: string, id: string, historyCount: string | null): void {
    const action = this.actions.get(id);
    if (!action || action.controllerId !== controllerId) return this.send(res, 404, { message: 'no such action' });
    // As hawkBit does for `?actionHistory=N`: the action's last N status messages (each feedback's details), newest first.
    const count = historyCount === null ? 0 : Number(historyCount);
    const messages = this.feedbackFor(id).flatMap((f) => f.body.status.details).reverse().slice(0, Number.isSafeInteger(count) ? Math.max(0, count) : 0);
    const history = count > 0 ? { actionHistory: { status: action.state === 'open' ? 'RUNNING' : 'FINISHED', messages } } : {};
    // One software module per action here, numbered like it.
    const base = `${this.url}/${this.tenant}/controller/v1/${controllerId}/softwaremodules/${id}/artifacts`;
    const d = action.deployment;
    this.send(res, 200, {
      id,
      deployment: {
        download: d.download ?? 'forced',
        update: d.update ?? 'forced',
        ...(d.maintenanceWindow ? { maintenanceWindow: d.maintenanceWindow } : {}),
        chunks: [
          {
            part: 'os',
            version: d.version ?? '1.0',
            name: 'firmware',
            artifacts: d.artifacts.map((a) => ({
              filename: a.filename,
              hashes: {
                sha1: createHash('sha1').update(a.bytes).digest('hex'),
                md5: createHash('md5').update(a.bytes).digest('hex'),
                sha256: a.announcedSha256 ?? createHash('sha256').update(a.bytes).digest('hex'),
              },
              size: a.announcedSize ?? a.bytes.length,
              _links: { 'download-http': { href: `${base}/${encodeURIComponent(a.filename)}` } },
            })),
          },
        ],
      },
      ...history,
    });
  }

  private sendArtifact(res: ServerResponse, key: string): void {
    const bytes = this.artifacts.get(key);
    if (!bytes) return this.send(res, 404, { message: 'no such artifact' });
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length });
    if (this.truncated.has(res)) {
      res.write(bytes.subarray(0, bytes.length >> 1), () => res.destroy());
      return;
    }
    res.end(bytes);
  }

  private sendCancel(res: ServerResponse, controllerId: string, cancelId: string): void {
    const action = [...this.actions.values()].find((a) => a.cancelId === cancelId && a.controllerId === controllerId);
    if (!action) return this.send(res, 404, { message: 'no such cancel action' });
    this.send(res, 200, { id: cancelId, cancelAction: { stopId: action.id } });
  }

  private async acceptFeedback(req: IncomingMessage, res: ServerResponse, controllerId: string, resource: string, id: string): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.feedbackPosts++;
    let body: RecordedFeedback['body'];
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedFeedback['body'];
    } catch {
      return this.send(res, 400, { message: 'feedback is not JSON' });
    }
    if (!body?.status?.execution || !body.status.result?.finished || body.id !== id) return this.send(res, 400, { message: 'not a DDI feedback' });
    const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
    if (key !== null && this.seenKeys.has(key) && this.options.honourIdempotencyKey !== false) return this.send(res, 200, {});
    const action = resource === 'deploymentBase' ? this.actions.get(id) : [...this.actions.values()].find((a) => a.cancelId === id);
    if (!action || action.controllerId !== controllerId) return this.send(res, 404, { message: 'no such action' });
    // As hawkBit does: feedback for an action that is no longer active is refused with 410.
    const active = resource === 'deploymentBase' ? action.state === 'open' : action.state === 'cancelling';
    if (!active) return this.send(res, 410, { message: 'action is closed' });
    if (key !== null) this.seenKeys.add(key);
    this.feedback.push({ controllerId, resource, actionId: resource === 'deploymentBase' ? id : action.id, idempotencyKey: key, body });
    if (body.status.execution === 'closed') action.state = resource === 'deploymentBase' ? 'closed' : 'cancelled';
    this.send(res, 200, {});
  }

  private async acceptConfigData(req: IncomingMessage, res: ServerResponse, controllerId: string): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: { mode?: unknown; data?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return this.send(res, 400, { message: 'configData is not JSON' });
    }
    const data = body.data;
    if (typeof data !== 'object' || data === null || !Object.values(data).every((v) => typeof v === 'string')) return this.send(res, 400, { message: 'data must map names to strings' });
    const before = body.mode === 'replace' ? {} : (this.attributes.get(controllerId) ?? {});
    this.attributes.set(controllerId, { ...before, ...(data as Record<string, string>) });
    this.send(res, 200, {});
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    if (this.silenced.has(res)) {
      this.hanging.add(res);
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/hal+json', 'Content-Length': Buffer.byteLength(text) }).end(text);
  }
}

/** Starts a test server on a free loopback port. */
export function startDdiTestServer(options: DdiTestServerOptions = {}): Promise<DdiTestServer> {
  return new DdiTestServer(options).listen();
}
