import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../../native/simulator';
import { E, ZucError } from '../../../shared/errors';
import { englishEntry } from '../../../shared/job-log';
import type { Clock } from '../../clock';
import { PackageCache } from '../../download';
import { Outbox } from '../../report';
import { openDatabase, type Db } from '../../store';
import { flash, imageFile, startEngine, startTerminal, tempDir } from '../../test-kit';
import { DdiClient } from './ddi-client';
import type { DdiAuth } from './ddi-http';
import { startDdiTestServer, type DdiTestServer, type DdiTestServerOptions } from './ddi-test-server';
import { HAWKBIT_FEEDBACK, hawkbitFeedbackSender } from './feedback-sender';
import { flashInstaller } from './flash-install';
import { HawkbitPoller, POLL_MIN_INTERVAL_MS, type InstallArtifacts, type InstallRequest } from './hawkbit-poller';

const TOKEN = 'Zq3vT8kLm2Np5Rs7Uw9Xy1Ab4Cd6Ef0G';
const GATEWAY_TOKEN = 'gw-7Hj2Kl4Mn6Pq8Rs0Tu';
const FAST = { firstDelayMs: 20, maxDelayMs: 80 };
const DOWNLOAD_LIMITS = { responseTimeoutMs: 1000, stallTimeoutMs: 1000, retryBaseDelayMs: 5, retryMaxDelayMs: 20, maxAttemptsWithoutProgress: 2 };

const servers: DdiTestServer[] = [];
const dbs: Db[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const server of servers.splice(0)) await server.close();
});

async function server(options: DdiTestServerOptions): Promise<DdiTestServer> {
  const started = await startDdiTestServer({ pollingSleep: '00:00:30', ...options });
  servers.push(started);
  return started;
}

interface Target {
  poller: HawkbitPoller;
  outbox: Outbox;
  db: Db;
  dataDir: string;
  cache: PackageCache;
  log: string[];
}

async function target(
  ddi: DdiTestServer,
  controllerId: string,
  install: InstallArtifacts,
  options: { auth?: DdiAuth; dataDir?: string; clock?: Clock; idleTimeoutMs?: number; attributes?: () => Record<string, string> } = {},
): Promise<Target> {
  const dataDir = options.dataDir ?? (await tempDir('zuc-hawkbit-'));
  const db = openDatabase(dataDir);
  dbs.push(db);
  const client = new DdiClient({ baseUrl: ddi.url, tenant: ddi.tenant, auth: options.auth ?? { kind: 'target', token: TOKEN }, idleTimeoutMs: options.idleTimeoutMs ?? 2000 });
  const log: string[] = [];
  const outbox = new Outbox(db, { backoff: FAST, onError: (error) => log.push(`outbox: ${error.message}`) });
  outbox.register(HAWKBIT_FEEDBACK, hawkbitFeedbackSender(client));
  const cache = PackageCache.inDataDir(dataDir, { limits: DOWNLOAD_LIMITS });
  const poller = new HawkbitPoller({ client, outbox, controllerId, install, cache, clock: options.clock, attributes: options.attributes, log: (entry) => log.push(englishEntry(entry)) });
  return { poller, outbox, db, dataDir, cache, log };
}

/** An install step that records what it was given and succeeds (for tests about everything but the install). */
function recordingInstall(): { install: InstallArtifacts; calls: InstallRequest[] } {
  const calls: InstallRequest[] = [];
  return {
    calls,
    install: async (request) => {
      calls.push(request);
      return { code: E.SUCCESS.code, details: [`installed ${request.artifacts.map((a) => a.filename).join(', ')}`] };
    },
  };
}

/** A clock whose sleeps return at once and are recorded; `onSleep` sees each (1-based), and the run is aborted after `sleepsBeforeAbort`. */
function sleepRecorder(sleepsBeforeAbort: number, onSleep: (n: number) => void = () => undefined): { clock: Clock; sleeps: number[]; controller: AbortController } {
  const controller = new AbortController();
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => Date.UTC(2026, 10, 28, 10),
    sleep: async (ms) => {
      sleeps.push(ms);
      onSleep(sleeps.length);
      if (sleeps.length === sleepsBeforeAbort) controller.abort();
    },
  };
  return { clock, sleeps, controller };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('hawkBit target against a simulated terminal', () => {
  it('polls, downloads the firmware, flashes it and closes the action with success', async () => {
    const terminal = await startTerminal();
    const engine = await startEngine();
    await engine.addDevice({ address: terminal.address });
    const image = await imageFile({ version: 'B02' });
    const ddi = await server({ targetTokens: { [terminal.serial]: TOKEN } });
    const action = ddi.assign(terminal.serial, { artifacts: [{ filename: 'MF286D_B02.bin', bytes: image.bytes }], version: 'B02' });
    const { poller, outbox } = await target(ddi, terminal.serial, flashInstaller(engine, terminal.address));

    const result = await poller.pollOnce();
    expect(result).toEqual({ sleepMs: 30_000, outcome: { kind: 'installed', actionId: action, code: E.SUCCESS.code } });
    expect(terminal.inspect().activeSlot).toBe('b');
    expect(terminal.inspect().slots.b).toMatchObject({ version: 'B02', state: 'good' });

    expect(await outbox.deliverDue()).toBe(4);
    const feedback = ddi.feedbackFor(action).map((f) => f.body.status);
    expect(feedback.map((s) => [s.execution, s.result.finished])).toEqual([
      ['download', 'none'],
      ['downloaded', 'none'],
      ['proceeding', 'none'],
      ['closed', 'success'],
    ]);
    const closed = feedback.at(-1)!;
    expect(closed.code).toBe(0);
    expect(closed.result.progress).toEqual({ cnt: 2, of: 2 });
    expect(closed.details).toContain('downloaded MF286D_B02.bin (' + image.bytes.length + ' bytes, SHA-256 verified)');
    // The job's own log travels with it: the terminal confirming its new firmware.
    expect(closed.details.some((line) => line.includes('confirmed'))).toBe(true);
    expect(ddi.actionState(action)).toBe('closed');
    expect((await poller.pollOnce()).outcome).toEqual({ kind: 'idle' });
    expect(JSON.stringify(outbox.store.list())).not.toContain(TOKEN);
  });

  it('closes the action with failure, our code and the job log when the new firmware does not boot', async () => {
    const terminal = await startTerminal({ faults: [parseFaultSpec('boot-fail')] });
    const engine = await startEngine();
    await engine.addDevice({ address: terminal.address });
    const image = await imageFile({ version: 'B02' });
    const ddi = await server({ targetTokens: { [terminal.serial]: TOKEN } });
    const action = ddi.assign(terminal.serial, { artifacts: [{ filename: 'MF286D_B02.bin', bytes: image.bytes }] });
    const { poller, outbox } = await target(ddi, terminal.serial, flashInstaller(engine, terminal.address));

    expect((await poller.pollOnce()).outcome).toEqual({ kind: 'failed', actionId: action, code: E.BOOT_FAILED_ROLLED_BACK.code });
    await outbox.deliverDue();
    const closed = ddi.feedbackFor(action).at(-1)!.body.status;
    expect(closed).toMatchObject({ execution: 'closed', result: { finished: 'failure' }, code: 4002 });
    expect(closed.details.some((line) => line.includes(E.BOOT_FAILED_ROLLED_BACK.code))).toBe(true);
    expect(closed.details.some((line) => line.includes('device: '))).toBe(true);
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' } } });
    expect(ddi.actionState(action)).toBe('closed');
  });

  it('keeps the action open while the terminal is busy with another job, and installs at the next poll', async () => {
    const terminal = await startTerminal({ linkBytesPerSecond: 512 * 1024 });
    const engine = await startEngine();
    await engine.addDevice({ address: terminal.address });
    const image = await imageFile({ version: 'B02' });
    const ddi = await server({ targetTokens: { [terminal.serial]: TOKEN } });
    const action = ddi.assign(terminal.serial, { artifacts: [{ filename: 'MF286D_B02.bin', bytes: image.bytes }] });
    const { poller, outbox } = await target(ddi, terminal.serial, flashInstaller(engine, terminal.address));
    // A technician's own flash job holds the terminal when the poll comes.
    const other = await imageFile({ version: 'B03' });
    const busy = flash(engine, terminal.address, other.path);
    await expect(poller.pollOnce()).rejects.toMatchObject({ code: E.TERMINAL_BUSY.code });
    expect((await busy).report.result).toBe('success');
    await outbox.deliverDue();
    expect(ddi.actionState(action)).toBe('open');

    expect((await poller.pollOnce()).outcome).toEqual({ kind: 'installed', actionId: action, code: E.SUCCESS.code });
    expect(terminal.inspect().slots[terminal.inspect().activeSlot].version).toBe('B02');
    await outbox.deliverDue();
    expect(ddi.feedbackFor(action).map((f) => f.body.status.execution)).toEqual(['download', 'downloaded', 'proceeding', 'closed']);
  });

  it('refuses an artifact whose bytes do not match the announced SHA-256: nothing installed, action closed with the code', async () => {
    const terminal = await startTerminal();
    const engine = await startEngine();
    await engine.addDevice({ address: terminal.address });
    const image = await imageFile({ version: 'B02' });
    const other = await imageFile({ version: 'B03' });
    const ddi = await server({ targetTokens: { [terminal.serial]: TOKEN } });
    const action = ddi.assign(terminal.serial, { artifacts: [{ filename: 'MF286D_B02.bin', bytes: image.bytes, announcedSha256: sha256(other.bytes) }] });
    const { poller, outbox, cache } = await target(ddi, terminal.serial, flashInstaller(engine, terminal.address));

    expect((await poller.pollOnce()).outcome).toEqual({ kind: 'failed', actionId: action, code: E.DOWNLOAD_HASH_MISMATCH.code });
    expect(terminal.inspect().slots.b.state).toBe('empty');
    expect(await engine.listHistory({})).toEqual([]);
    expect(await readdir(cache.dir).catch(() => [])).toEqual([]);
    await outbox.deliverDue();
    expect(ddi.feedbackFor(action).map((f) => f.body.status.execution)).toEqual(['download', 'closed']);
    expect(ddi.feedbackFor(action).at(-1)!.body.status).toMatchObject({ result: { finished: 'failure' }, code: 6001 });
  });
});

describe('hawkBit target', () => {
  it('refuses an artifact whose Content-Length is larger than announced, before reading it', async () => {
    const ddi = await server({ targetTokens: { ZTE0001: TOKEN } });
    const bytes = new Uint8Array(4096).fill(7);
    const action = ddi.assign('ZTE0001', { artifacts: [{ filename: 'fw.bin', bytes, announcedSize: 1000 }] });
    const { install, calls } = recordingInstall();
    const { poller } = await target(ddi, 'ZTE0001', install);
    expect((await poller.pollOnce()).outcome).toEqual({ kind: 'failed', actionId: action, code: E.DOWNLOAD_TOO_LARGE.code });
    expect(calls).toEqual([]);
  });

  it('follows download and update "skip": nothing fetched, or fetched and not installed; a cached artifact is not fetched again', async () => {
    const ddi = await server({ targetTokens: { ZTE0001: TOKEN }, gatewayToken: GATEWAY_TOKEN });
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 31) & 0xff);
    ddi.assign('ZTE0001', { artifacts: [{ filename: 'fw.bin', bytes }], update: 'skip' });
    const { install, calls } = recordingInstall();
    const { poller, outbox } = await target(ddi, 'ZTE0001', install);
    const deferred = ddi.assign('ZTE0009', { artifacts: [{ filename: 'later.bin', bytes }], download: 'skip' });
    const waiting = await target(ddi, 'ZTE0009', install, { auth: { kind: 'gateway', token: GATEWAY_TOKEN } });
    expect((await waiting.poller.pollOnce()).outcome).toEqual({ kind: 'deferred', actionId: deferred });
    // update "skip": download now, install when the server allows it.
    expect((await poller.pollOnce()).outcome).toMatchObject({ kind: 'downloaded-only' });
    expect(calls).toEqual([]);
    expect(ddi.requests.filter((r) => r.includes('/artifacts/'))).toHaveLength(1);
    await outbox.deliverDue();
    expect(ddi.feedback.map((f) => f.body.status.execution)).toEqual(['download', 'downloaded']);

    const second = ddi.assign('ZTE0001', { artifacts: [{ filename: 'fw.bin', bytes }] });
    ddi.cancel('1');
    expect((await poller.pollOnce()).outcome).toMatchObject({ kind: 'cancel-accepted' });
    await outbox.deliverDue();
    expect((await poller.pollOnce()).outcome).toEqual({ kind: 'installed', actionId: second, code: E.SUCCESS.code });
    expect(calls[0]!.artifacts).toMatchObject([{ filename: 'fw.bin', size: bytes.length, sha256: sha256(bytes) }]);
    expect(new Uint8Array(await readFile(calls[0]!.artifacts[0]!.path))).toEqual(bytes);
    expect(ddi.requests.filter((r) => r.includes('/artifacts/'))).toHaveLength(1);
  });

  it('notices an artifact cut short and fetches it again before anything is installed', async () => {
    const ddi = await server({ targetTokens: { ZTE0001: TOKEN } });
    const bytes = new Uint8Array(64 * 1024).map((_, i) => (i * 7) & 0xff);
    ddi.assign('ZTE0001', { artifacts: [{ filename: 'fw.bin', bytes }] });
    ddi.inject(/artifacts\/fw\.bin$/, { kind: 'truncate' });
    const { install, calls } = recordingInstall();
    const { poller } = await target(ddi, 'ZTE0001', install);
    expect((await poller.pollOnce()).outcome).toMatchObject({ kind: 'installed' });
    expect(ddi.requests.filter((r) => r.endsWith('/artifacts/fw.bin'))).toHaveLength(2);
    expect(new Uint8Array(await readFile(calls[0]!.artifacts[0]!.path))).toEqual(bytes);
  });

  it('leaves the action open when artifacts cannot be fetched for now, and installs at a later poll', async () => {
    const ddi = await server({ targetTokens: { ZTE0001: TOKEN } });
    const bytes = new Uint8Array(10_000).fill(3);
    const action = ddi.assign('ZTE0001', { artifacts: [{ filename: 'fw.bin', bytes }] });
    // As many 503s as the downloader tries within one poll.
    ddi.inject(/artifacts\/fw\.bin$/, { kind: 'status', status: 503 }, DOWNLOAD_LIMITS.maxAttemptsWithoutProgress);
    const { install, calls } = recordingInstall();
    const { poller, outbox } = await target(ddi, 'ZTE0001', install);
    await expect(poller.pollOnce()).rejects.toMatchObject({ code: E.DOWNLOAD_SERVER_UNAVAILABLE.code });
    expect(calls).toEqual([]);
    await outbox.deliverDue();
    expect(ddi.feedbackFor(action).map((f) => f.body.status.execution)).toEqual(['download']);
    expect(ddi.actionState(action)).toBe('open');

    expect((await poller.pollOnce()).outcome).toEqual({ kind: 'installed', actionId: action, code: E.SUCCESS.code });
    expect(calls).toHaveLength(1);
    await outbox.deliverDue();
    expect(ddi.feedbackFor(action).map((f) => f.body.status.execution)).toEqual(['download', 'downloaded', 'proceeding', 'closed']);
  });

  it('sends the terminal attributes once when the server asks for them, and a failure there does not hold up the deployment', async () => {
    const ddi = await server({ targetTokens: { ZTE0001: TOKEN } });
    const { install, calls } = recordingInstall();
    let asked = 0;
    const attributes = () => {
      asked++;
      return { model: 'MF286D', hwRevision: 'V1.0', firmwareVersion: 'B01' };
    };
    const { poller, log } = await target(ddi, 'ZTE0001', install, { attributes });
    ddi.inject(/configData$/, { kind: 'status', status: 500 });
    ddi.assign('ZTE0001', { artifacts: [{ filename: 'fw.bin', bytes: new Uint8Array([1]) }] });
    expect((await poller.pollOnce()).outcome).toMatchObject({ kind: 'installed' });
    expect(calls).toHaveLength(1);
    expect(log.some((line) => line.includes(`attributes not sent: ${E.BACKEND_SERVER_ERROR.code}`))).toBe(true);
    await poller.pollOnce();
    expect(ddi.attributes.get('ZTE0001')).toEqual({ model: 'MF286D', hwRevision: 'V1.0', firmwareVersion: 'B01' });
    await poller.pollOnce();
    expect(asked).toBe(2);
  });

  it('accepts a cancellation from the server with a closed feedback and installs nothing', async () => {
    const ddi = await server({ targetTokens: { ZTE0001: TOKEN } });
    const action = ddi.assign('ZTE0001', { artifacts: [{ filename: 'fw.bin', bytes: new Uint8Array([1]) }] });
    const cancelId = ddi.cancel(action);
    const { install, calls } = recordingInstall();
    const { poller, outbox } = await target(ddi, 'ZTE0001', install);
    expect((await poller.pollOnce()).outcome).toEqual({ kind: 'cancel-accepted', actionId: cancelId, stopId: action });
    await outbox.deliverDue();
    expect(ddi.feedback).toMatchObject([{ resource: 'cancelAction', actionId: action, body: { id: cancelId, status: { execution: 'closed', result: { finished: 'success' } } } }]);
    expect(ddi.actionState(action)).toBe('cancelled');
    expect((await poller.pollOnce()).outcome).toEqual({ kind: 'idle' });
    expect(calls).toEqual([]);
  });

  it('acts as the gateway for terminals without network: one GatewayToken, one controller per serial', async () => {
    const ddi = await server({ gatewayToken: GATEWAY_TOKEN });
    const a = ddi.assign('ZTE0001', { artifacts: [{ filename: 'a.bin', bytes: new Uint8Array([1, 2]) }] });
    const b = ddi.assign('ZTE0002', { artifacts: [{ filename: 'b.bin', bytes: new Uint8Array([3, 4]) }] });
    const { install, calls } = recordingInstall();
    const auth: DdiAuth = { kind: 'gateway', token: GATEWAY_TOKEN };
    const first = await target(ddi, 'ZTE0001', install, { auth });
    const second = await target(ddi, 'ZTE0002', install, { auth, dataDir: first.dataDir });
    expect((await first.poller.pollOnce()).outcome).toMatchObject({ kind: 'installed', actionId: a });
    expect((await second.poller.pollOnce()).outcome).toMatchObject({ kind: 'installed', actionId: b });
    expect(calls.map((c) => [c.controllerId, c.artifacts[0]!.filename])).toEqual([['ZTE0001', 'a.bin'], ['ZTE0002', 'b.bin']]);
    await first.outbox.deliverDue();
    expect([ddi.actionState(a), ddi.actionState(b)]).toEqual(['closed', 'closed']);
  });

  it('answers 401 with BACKEND_AUTH and never shows the token', async () => {
    const ddi = await server({ targetTokens: { ZTE0001: TOKEN } });
    const wrong = `${TOKEN.slice(0, -1)}X`;
    const { poller, log } = await target(ddi, 'ZTE0001', recordingInstall().install, { auth: { kind: 'target', token: wrong } });
    const error = await poller.pollOnce().catch((err: unknown) => err as ZucError);
    expect(error).toBeInstanceOf(ZucError);
    expect((error as ZucError).code).toBe(E.BACKEND_AUTH.code);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await poller.run(controller.signal);
    expect(log.some((line) => line.includes(E.BACKEND_AUTH.code))).toBe(true);
    const everything = JSON.stringify([error, (error as ZucError).message, (error as ZucError).toJSON(), log]);
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(TOKEN);
  });

  it('answers malformed JSON with BACKEND_BAD_RESPONSE, from the controller base and from a deployment', async () => {
    const ddi = await server({ targetTokens: { ZTE0001: TOKEN } });
    const { install, calls } = recordingInstall();
    const { poller, outbox } = await target(ddi, 'ZTE0001', install);
    ddi.inject(/ZTE0001$/, { kind: 'malformed' });
    await expect(poller.pollOnce()).rejects.toMatchObject({ code: E.BACKEND_BAD_RESPONSE.code });
    ddi.assign('ZTE0001', { artifacts: [{ filename: 'fw.bin', bytes: new Uint8Array([1]) }] });
    ddi.inject(/deploymentBase\/\d+$/, { kind: 'malformed' });
    await expect(poller.pollOnce()).rejects.toMatchObject({ code: E.BACKEND_BAD_RESPONSE.code });
    ddi.pollingSleep = '1:00';
    await expect(poller.pollOnce()).rejects.toMatchObject({ code: E.BACKEND_BAD_RESPONSE.code, message: expect.stringContaining('config.polling.sleep') });
    expect(calls).toEqual([]);
    expect(outbox.store.list()).toEqual([]);
  });

  it('gives up on a server that accepts the connection but never answers, with BACKEND_TIMEOUT', async () => {
    const ddi = await server({ targetTokens: { ZTE0001: TOKEN } });
    ddi.inject(/ZTE0001$/, { kind: 'hang' });
    const { poller } = await target(ddi, 'ZTE0001', recordingInstall().install, { idleTimeoutMs: 200 });
    await expect(poller.pollOnce()).rejects.toMatchObject({ code: E.BACKEND_TIMEOUT.code });
  });

  it('waits config.polling.sleep between polls, and keeps the last interval after a failed poll', async () => {
    const ddi = await server({ targetTokens: { ZTE0001: TOKEN }, pollingSleep: '00:10:00' });
    const { clock, sleeps, controller } = sleepRecorder(3, (n) => {
      // What the server does while the console sleeps: fail the next poll, then ask for a longer interval.
      if (n === 1) {
        ddi.inject(/ZTE0001$/, { kind: 'status', status: 503 });
        ddi.pollingSleep = '12:00:00';
      }
    });
    const { poller, log } = await target(ddi, 'ZTE0001', recordingInstall().install, { clock });
    await poller.run(controller.signal);
    expect(sleeps).toEqual([600_000, 600_000, 43_200_000]);
    expect(ddi.requests.filter((r) => r === 'GET /DEFAULT/controller/v1/ZTE0001')).toHaveLength(3);
    expect(log.filter((line) => line.includes(E.BACKEND_SERVER_ERROR.code))).toHaveLength(1);
  });

  it('waits at least a second between polls when the server asks for no pause at all', async () => {
    const ddi = await server({ targetTokens: { ZTE0001: TOKEN }, pollingSleep: '00:00:00' });
    const { clock, sleeps, controller } = sleepRecorder(2);
    const { poller } = await target(ddi, 'ZTE0001', recordingInstall().install, { clock });
    await poller.run(controller.signal);
    expect(sleeps).toEqual([POLL_MIN_INTERVAL_MS, POLL_MIN_INTERVAL_MS]);
  });

  it('after a crash with the closing feedback still queued, installs nothing again and delivers it once', async () => {
    const ddi = await server({ targetTokens: { ZTE0001: TOKEN } });
    const action = ddi.assign('ZTE0001', { artifacts: [{ filename: 'fw.bin', bytes: new Uint8Array([9, 9, 9]) }] });
    const { install, calls } = recordingInstall();
    const first = await target(ddi, 'ZTE0001', install);
    expect((await first.poller.pollOnce()).outcome).toMatchObject({ kind: 'installed' });
    // The console dies before any feedback went out; the server still offers the action.
    first.db.close();

    const restarted = await target(ddi, 'ZTE0001', install, { dataDir: first.dataDir });
    expect((await restarted.poller.pollOnce()).outcome).toEqual({ kind: 'already-closed', actionId: action });
    expect(calls).toHaveLength(1);
    expect(await restarted.outbox.deliverDue()).toBe(4);
    expect(ddi.feedbackFor(action).filter((f) => f.body.status.execution === 'closed')).toHaveLength(1);
    expect(ddi.actionState(action)).toBe('closed');
  });

  it('delivers the closing feedback after the server comes back from being down', async () => {
    const ddi = await server({ targetTokens: { ZTE0001: TOKEN } });
    const action = ddi.assign('ZTE0001', { artifacts: [{ filename: 'fw.bin', bytes: new Uint8Array([5, 6]) }] });
    const { poller, outbox } = await target(ddi, 'ZTE0001', recordingInstall().install);
    expect((await poller.pollOnce()).outcome).toMatchObject({ kind: 'installed' });
    await ddi.goDown(300);
    outbox.start();
    const end = Date.now() + 5000;
    while (ddi.actionState(action) !== 'closed' && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
    await outbox.stop();
    expect(ddi.actionState(action)).toBe('closed');
    expect(ddi.feedbackFor(action).map((f) => f.body.status.execution)).toEqual(['download', 'downloaded', 'proceeding', 'closed']);
    expect(ddi.feedbackPosts).toBe(4);
  });
});

describe('hawkBit artifacts behind redirects', () => {
  it('follows a redirect to another host without sending it the token, and refuses a redirect loop', async () => {
    const ddi = await server({ targetTokens: { ZTE0001: TOKEN, ZTE0002: TOKEN } });
    // The "CDN": a second server on another port, which records what it was sent.
    const cdn = await server({});
    const bytes = new Uint8Array([4, 5, 6, 7]);
    const action = ddi.assign('ZTE0001', { artifacts: [{ filename: 'fw.bin', bytes }] });
    cdn.assign('ZTE0001', { artifacts: [{ filename: 'fw.bin', bytes }] });
    const seenAuth: (string | undefined)[] = [];
    cdn.onRequest = (req) => seenAuth.push(req.headers.authorization);
    ddi.inject(/artifacts\/fw\.bin$/, { kind: 'redirect', to: `${cdn.url}/${cdn.tenant}/controller/v1/ZTE0001/softwaremodules/1/artifacts/fw.bin` });
    const { install, calls } = recordingInstall();
    const { poller } = await target(ddi, 'ZTE0001', install);
    expect((await poller.pollOnce()).outcome).toEqual({ kind: 'installed', actionId: action, code: E.SUCCESS.code });
    expect(calls[0]!.artifacts[0]!.sha256).toBe(sha256(bytes));
    expect(seenAuth).toEqual([undefined]);

    const looping = ddi.assign('ZTE0002', { artifacts: [{ filename: 'loop.bin', bytes }] });
    ddi.inject(/artifacts\/loop\.bin$/, { kind: 'redirect', to: `/${ddi.tenant}/controller/v1/ZTE0002/softwaremodules/${looping}/artifacts/loop.bin` }, 50);
    const other = await target(ddi, 'ZTE0002', install);
    expect((await other.poller.pollOnce()).outcome).toEqual({ kind: 'failed', actionId: looping, code: E.DOWNLOAD_REDIRECT_LOOP.code });
    expect(calls).toHaveLength(1);
    await other.outbox.deliverDue();
    expect(ddi.feedbackFor(looping).at(-1)!.body.status).toMatchObject({ execution: 'closed', result: { finished: 'failure' }, code: 6004 });
  });
});
