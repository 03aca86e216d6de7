import type { IncomingMessage } from 'node:http';
import { E, ZucError } from '../../../shared/errors';
import { authorizationHeader, describeUrl, openRequest, readBody, statusError, type DdiAuth } from './ddi-http';
import {
  CancelActionSchema,
  ControllerBaseSchema,
  DeploymentBaseSchema,
  parseDdi,
  type CancelAction,
  type ControllerBase,
  type DdiFeedback,
  type DeploymentBase,
} from './ddi-schemas';

/** Where the hawkBit server is and how to sign in to it. */
export interface DdiServer {
  /** e.g. `https://hawkbit.example.com` (a path prefix is allowed). */
  baseUrl: string;
  tenant: string;
  auth: DdiAuth;
  /** Longest silence on a connection; default DDI_IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number;
}

export const DDI_IDLE_TIMEOUT_MS = 30_000;
/** Controller and deployment documents are a few KiB; anything near this is not the DDI API. */
export const DDI_MAX_JSON_BYTES = 1 << 20;
/** Sent with every feedback so a backend (or proxy) that honours it drops a repeat. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** What a feedback post achieved. */
export type FeedbackOutcome =
  /** The server took it (2xx). */
  | 'accepted'
  /** 410: the action is closed on the server; it needs this feedback no longer. */
  | 'gone';

/** The device side of hawkBit's Direct Device Integration API, for one server and tenant. */
export class DdiClient {
  readonly base: URL;
  private readonly idleTimeoutMs: number;

  constructor(private readonly server: DdiServer) {
    let base: URL;
    try {
      base = new URL(server.baseUrl);
    } catch {
      throw new ZucError(E.BACKEND_CONFIG, `'${server.baseUrl}' is not a URL`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new ZucError(E.BACKEND_CONFIG, `${describeUrl(base)} is not an http(s) address`);
    if (base.username || base.password) throw new ZucError(E.BACKEND_CONFIG, 'put credentials in the token setting, not in the server address');
    if (!NAME.test(server.tenant)) throw new ZucError(E.BACKEND_CONFIG, `tenant '${server.tenant}' must be 1..128 letters, digits, '.', '_', ':' or '-'`);
    this.base = base;
    this.idleTimeoutMs = server.idleTimeoutMs ?? DDI_IDLE_TIMEOUT_MS;
  }

  /** `{base}/{tenant}/controller/v1/{controllerId}`; in gateway mode the controller id is the terminal's serial. */
  controllerUrl(controllerId: string): URL {
    if (!NAME.test(controllerId)) throw new ZucError(E.BACKEND_CONFIG, `controller id '${controllerId}' must be 1..128 letters, digits, '.', '_', ':' or '-'`);
    const prefix = this.base.pathname.replace(/\/+$/, '');
    return new URL(`${prefix}/${this.server.tenant}/controller/v1/${controllerId}`, this.base.origin);
  }

  /** The controller base: polling interval and links to what the server wants done. */
  async poll(controllerId: string, signal?: AbortSignal): Promise<ControllerBase> {
    return this.getJson(this.controllerUrl(controllerId), ControllerBaseSchema, 'controller base', signal);
  }

  async deployment(href: string, signal?: AbortSignal): Promise<DeploymentBase> {
    return this.getJson(this.link(href), DeploymentBaseSchema, 'deployment', signal);
  }

  async cancelAction(href: string, signal?: AbortSignal): Promise<CancelAction> {
    return this.getJson(this.link(href), CancelActionSchema, 'cancel action', signal);
  }

  /**
   * The last `count` status messages the server keeps for an action (the
   * deployment with `?actionHistory=count`): what our earlier feedback said.
   */
  async actionHistory(deploymentUrl: URL, count: number, signal?: AbortSignal): Promise<string[]> {
    const url = new URL(deploymentUrl.href);
    url.search = '';
    url.searchParams.set('actionHistory', String(count));
    const deployment = await this.getJson(url, DeploymentBaseSchema, 'action history', signal);
    return deployment.actionHistory?.messages ?? [];
  }

  /** Posts one feedback. Throws a ZucError for anything but 2xx and 410. */
  async postFeedback(url: URL, feedback: DdiFeedback, idempotencyKey: string, signal?: AbortSignal): Promise<FeedbackOutcome> {
    const res = await this.open('POST', url, signal, JSON.stringify(feedback), { [IDEMPOTENCY_HEADER]: idempotencyKey });
    // Drained so the socket is released; feedback answers have no body worth reading.
    await readBody(res, url, DDI_MAX_JSON_BYTES).catch(() => undefined);
    if (res.statusCode === 410) return 'gone';
    if (!isOk(res.statusCode)) throw statusError(res.statusCode ?? 0, url);
    return 'accepted';
  }

  /**
   * Sends the target's attributes (model, hardware revision, firmware
   * version…) to the `configData` link the server gave, merged into what it
   * knows. The status block is what servers before hawkBit 0.3 require.
   */
  async putConfigData(href: string, data: Record<string, string>, signal?: AbortSignal): Promise<void> {
    const url = this.link(href);
    const body = JSON.stringify({ mode: 'merge', data, status: { execution: 'closed', result: { finished: 'success' }, details: [] } });
    const res = await this.open('PUT', url, signal, body);
    await readBody(res, url, DDI_MAX_JSON_BYTES).catch(() => undefined);
    if (!isOk(res.statusCode)) throw statusError(res.statusCode ?? 0, url);
  }

  /** The Authorization header value for this server, if it uses one; never logged. */
  authorization(): string | undefined {
    return authorizationHeader(this.server.auth);
  }

  /** A link the server gave; refused unless http(s). */
  link(href: string): URL {
    let url: URL;
    try {
      url = new URL(href, this.base);
    } catch {
      throw new ZucError(E.BACKEND_BAD_RESPONSE, `link '${href.slice(0, 200)}' is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ZucError(E.BACKEND_BAD_RESPONSE, `link ${url.protocol} is not http(s)`);
    return url;
  }

  private async getJson<T>(url: URL, schema: Parameters<typeof parseDdi<T>>[0], what: string, signal?: AbortSignal): Promise<T> {
    const res = await this.open('GET', url, signal);
    const body = await readBody(res, url, DDI_MAX_JSON_BYTES);
    if (!isOk(res.statusCode)) throw statusError(res.statusCode ?? 0, url);
    return parseDdi(schema, body, `${what} from ${describeUrl(url)}`);
  }

  private open(method: 'GET' | 'POST' | 'PUT', url: URL, signal: AbortSignal | undefined, body?: string, headers?: Record<string, string>): Promise<IncomingMessage> {
    return openRequest({ method, url, auth: this.server.auth, authOrigin: this.base.origin, idleTimeoutMs: this.idleTimeoutMs, signal, body, headers });
  }
}

function isOk(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}
