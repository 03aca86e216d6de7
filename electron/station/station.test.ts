import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createEngine } from '../engine';
import { decodeJsonWire, encodeJsonWire } from '../shared/rpc';
import { startStation, type RunningStation } from './station';

let tmp: string;
let engine: ReturnType<typeof createEngine>;
let station: RunningStation;
let origin: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zuc-station-'));
  const staticDir = path.join(tmp, 'dist');
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>console</title><script type="module" src="./assets/app.js"></script>');
  await writeFile(path.join(staticDir, 'assets', 'app.js'), 'export {};');
  await writeFile(path.join(tmp, 'secret.txt'), 'not for the browser');
  engine = createEngine({ dataDir: path.join(tmp, 'data') });
  station = await startStation({ service: engine, staticDir, maxMessageBytes: 64 * 1024 });
  origin = `http://127.0.0.1:${station.port}`;
});

afterAll(async () => {
  await station?.close();
  await engine?.close();
  await rm(tmp, { recursive: true, force: true });
});

function get(urlPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: station.port, path: urlPath, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the RPC socket with the given Origin; resolves to the socket or to the refused HTTP status. */
function openSocket(originHeader: string | undefined): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${station.port}/rpc`, originHeader === undefined ? {} : { origin: originHeader });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

async function ownSocket(): Promise<WebSocket> {
  const ws = await openSocket(origin);
  if (typeof ws === 'number') throw new Error(`refused with ${ws}`);
  return ws;
}

function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(decodeJsonWire(String(data)) as Record<string, unknown>)));
}

function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

describe('station: the console page', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(station.url).toBe(`http://127.0.0.1:${station.port}/`);
  });

  it('serves the built page and its assets with a strict Content-Security-Policy', async () => {
    const page = await get('/', { Host: `127.0.0.1:${station.port}` });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<title>console</title>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:*");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');

    const asset = await get('/assets/app.js', { Host: `localhost:${station.port}` });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.headers['content-security-policy']).toBe(csp);
  });

  it('serves nothing outside the page folder, and only GET/HEAD', async () => {
    const host = { Host: `127.0.0.1:${station.port}` };
    expect((await get('/../secret.txt', host)).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt', host)).status).toBe(404);
    expect((await get('/assets/missing.js', host)).status).toBe(404);
    expect((await get('/', host, 'POST')).status).toBe(405);
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const res = await get('/', { Host: `evil.example:${station.port}` });
    expect(res.status).toBe(421);
    expect(res.body).not.toContain('<title>');
  });
});

describe('station: the contract over WebSocket', () => {
  it('refuses upgrades from other sites and without an Origin', async () => {
    expect(await openSocket('http://evil.example')).toBe(403);
    expect(await openSocket(`http://127.0.0.1:${station.port + 1}`)).toBe(403);
    expect(await openSocket(undefined)).toBe(403);
  });

  it('answers calls from the console page with the engine state', async () => {
    const ws = await ownSocket();
    ws.send(encodeJsonWire({ t: 'call', id: 1, method: 'getSnapshot', request: {} }));
    const reply = await nextMessage(ws);
    expect(reply).toEqual({ t: 'ok', id: 1, value: { devices: [], jobs: [] } });
    ws.close();
  });

  it('answers a call that breaks the contract with a BAD_REQUEST error', async () => {
    const ws = await ownSocket();
    ws.send(encodeJsonWire({ t: 'call', id: 7, method: 'addDevice', request: { address: 42 } }));
    const reply = await nextMessage(ws);
    expect(reply.t).toBe('err');
    expect(reply.id).toBe(7);
    expect((reply.error as { code: string }).code).toBe('ZUC-1012');

    ws.send(encodeJsonWire({ t: 'call', id: 8, method: 'formatDisk', request: {} }));
    expect(((await nextMessage(ws)).error as { code: string }).code).toBe('ZUC-1012');

    ws.send(encodeJsonWire({ t: 'nonsense', id: 9 }));
    const envelope = await nextMessage(ws);
    expect(envelope.id).toBe(9);
    expect((envelope.error as { code: string }).code).toBe('ZUC-1012');
    ws.close();
  });

  it('drops a connection that sends something that is not a console message at all', async () => {
    const ws = await ownSocket();
    const closed = closeCode(ws);
    ws.send('this is not json');
    expect(await closed).toBe(1007);
  });

  it('drops a connection that sends binary frames', async () => {
    const ws = await ownSocket();
    const closed = closeCode(ws);
    ws.send(new Uint8Array([1, 2, 3]));
    expect(await closed).toBe(1003);
  });

  it('forwards engine events to the page', async () => {
    const ws = await ownSocket();
    const event = nextMessage(ws);
    ws.send(encodeJsonWire({ t: 'call', id: 3, method: 'addDevice', request: { address: 'tcp://127.0.0.1:1' } }));
    const first = await event;
    expect(first).toMatchObject({ t: 'event', name: 'onDeviceChanged', payload: { address: 'tcp://127.0.0.1:1' } });
    ws.close();
  });

  it('drops a connection whose message exceeds the size limit', async () => {
    const ws = await ownSocket();
    const closed = closeCode(ws);
    ws.send(encodeJsonWire({ t: 'call', id: 1, method: 'stageImage', request: { name: 'big.bin', data: new Uint8Array(128 * 1024) } }));
    expect(await closed).toBe(1009);
  });
});
