import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import { DdiClient } from '../sources/hawkbit/ddi-client';
import { startDdiTestServer, type DdiTestServer } from '../sources/hawkbit/ddi-test-server';
import { HAWKBIT_FEEDBACK, hawkbitFeedbackSender } from '../sources/hawkbit/feedback-sender';
import { openDatabase, type Db } from '../store';
import { tempDir, until } from '../test-kit';
import { retryDelayMs } from './backoff';
import { systemClock } from '../clock';
import { Outbox, OUTBOX_KEEP_DELIVERED_MS, OUTBOX_LEASE_MS, type ReportSender } from './outbox';
import type { NewReport } from './outbox-store';

const CONTROLLER = 'ZTE0001';
const TOKEN = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
const FAST = { firstDelayMs: 20, maxDelayMs: 80 };

const servers: DdiTestServer[] = [];
const dbs: Db[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const server of servers.splice(0)) await server.close();
});

async function setup(): Promise<{ server: DdiTestServer; sender: ReportSender; dir: string; feedbackUrl: (actionId: string) => string }> {
  const server = await startDdiTestServer({ targetTokens: { [CONTROLLER]: TOKEN } });
  servers.push(server);
  const client = new DdiClient({ baseUrl: server.url, tenant: server.tenant, auth: { kind: 'target', token: TOKEN }, idleTimeoutMs: 1000 });
  return {
    server,
    sender: hawkbitFeedbackSender(client),
    dir: await tempDir('zuc-outbox-'),
    feedbackUrl: (actionId) => `${server.url}/${server.tenant}/controller/v1/${CONTROLLER}/deploymentBase/${actionId}/feedback`,
  };
}

function open(dir: string): Db {
  const db = openDatabase(dir);
  dbs.push(db);
  return db;
}

function feedback(url: string, actionId: string, execution: string, finished = 'none', closes = false): NewReport {
  return {
    key: `${url}#${execution}`,
    kind: HAWKBIT_FEEDBACK,
    stream: url,
    target: url,
    payload: { id: actionId, time: '20261128T101500', status: { execution, result: { finished }, details: [`${execution} line`] } },
    closesStream: closes,
  };
}

function oneArtifact(server: DdiTestServer): string {
  return server.assign(CONTROLLER, { artifacts: [{ filename: 'fw.bin', bytes: new Uint8Array([1, 2, 3]) }] });
}

/** Shorter than the sender's idle timeout: the hanging send is cut off by stop(), not failed by silence. */
const STOP_GRACE_MS = 100;

describe('report outbox', () => {
  it('keeps a report queued by a console that stopped and delivers it from the next one', async () => {
    const { server, sender, dir, feedbackUrl } = await setup();
    const action = oneArtifact(server);
    const first = new Outbox(open(dir), { backoff: FAST });
    expect(first.enqueue(feedback(feedbackUrl(action), action, 'closed', 'success', true))).toBe(true);
    dbs.pop()!.close();
    expect(server.feedback).toEqual([]);

    const second = new Outbox(open(dir), { backoff: FAST });
    second.register(HAWKBIT_FEEDBACK, sender);
    expect(await second.deliverDue()).toBe(1);
    expect(server.feedbackFor(action).map((f) => f.body.status)).toEqual([{ execution: 'closed', result: { finished: 'success' }, details: ['closed line'] }]);
    expect(server.actionState(action)).toBe('closed');
    expect(second.store.list()).toMatchObject([{ status: 'delivered', attempts: 1 }]);
    expect(await second.deliverDue()).toBe(0);
    expect(server.feedbackPosts).toBe(1);
  });

  it('retries a report the server failed with growing pauses and marks it delivered only after a 2xx', async () => {
    const { server, sender, dir, feedbackUrl } = await setup();
    const action = oneArtifact(server);
    server.inject(/feedback$/, { kind: 'status', status: 503 }, 2);
    const failures: string[] = [];
    const outbox = new Outbox(open(dir), { backoff: FAST, onError: (error) => failures.push(error.code) });
    outbox.register(HAWKBIT_FEEDBACK, sender);
    outbox.enqueue(feedback(feedbackUrl(action), action, 'proceeding'));

    expect(await outbox.deliverDue()).toBe(0);
    expect(outbox.store.list()).toMatchObject([{ status: 'pending', attempts: 1, lastError: expect.stringContaining(E.BACKEND_SERVER_ERROR.code) }]);
    // Not due again before its pause is over.
    expect(await outbox.deliverDue()).toBe(0);
    expect(outbox.store.list()[0]!.attempts).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs(1, FAST) + 5));
    expect(await outbox.deliverDue()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs(2, FAST) + 5));
    expect(await outbox.deliverDue()).toBe(1);
    expect(failures).toEqual([E.BACKEND_SERVER_ERROR.code, E.BACKEND_SERVER_ERROR.code]);
    expect(outbox.store.list()).toMatchObject([{ status: 'delivered', attempts: 3, lastError: null }]);
    expect(server.feedbackFor(action)).toHaveLength(1);
  });

  it('delivers a stream in order: a later report waits while an earlier one fails', async () => {
    const { server, sender, dir, feedbackUrl } = await setup();
    const action = oneArtifact(server);
    const url = feedbackUrl(action);
    server.inject(/feedback$/, { kind: 'status', status: 500 }, 1);
    const outbox = new Outbox(open(dir), { backoff: FAST });
    outbox.register(HAWKBIT_FEEDBACK, sender);
    outbox.enqueue(feedback(url, action, 'downloaded'));
    outbox.enqueue(feedback(url, action, 'closed', 'success', true));
    expect(await outbox.deliverDue()).toBe(0);
    expect(server.feedback).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, FAST.firstDelayMs + 5));
    expect(await outbox.deliverDue()).toBe(2);
    expect(server.feedbackFor(action).map((f) => f.body.status.execution)).toEqual(['downloaded', 'closed']);
  });

  it('does not send a report twice when the console dies between sending and marking it', async () => {
    const { server, sender, dir, feedbackUrl } = await setup();
    const action = oneArtifact(server);
    const db = open(dir);
    const crashing = new Outbox(db, { backoff: FAST });
    // The send reaches the server, then the process "dies": its database is gone before the mark.
    crashing.register(HAWKBIT_FEEDBACK, {
      deliver: async (entry, signal) => {
        await sender.deliver(entry, signal);
        db.close();
      },
    });
    crashing.enqueue(feedback(feedbackUrl(action), action, 'proceeding'));
    await expect(crashing.deliverDue()).rejects.toThrow();
    expect(server.feedbackPosts).toBe(1);

    // The dead console's hold on the report ran out (here: the same process, so its lease must expire).
    const later = { now: () => Date.now() + OUTBOX_LEASE_MS, sleep: systemClock.sleep };
    const next = new Outbox(open(dir), { backoff: FAST, clock: later });
    next.register(HAWKBIT_FEEDBACK, sender);
    expect(await next.deliverDue()).toBe(1);
    // The repeat reached the server with the same key, and the server kept the report once.
    expect(server.feedbackPosts).toBe(2);
    expect(server.feedbackFor(action)).toHaveLength(1);
    expect(next.store.list()).toMatchObject([{ status: 'delivered' }]);
  });

  it('never closes an action twice: a closing report the server already took counts as delivered', async () => {
    const { server, sender, dir, feedbackUrl } = await setup();
    const action = oneArtifact(server);
    const url = feedbackUrl(action);
    const outbox = new Outbox(open(dir), { backoff: FAST });
    outbox.register(HAWKBIT_FEEDBACK, sender);
    expect(outbox.enqueue(feedback(url, action, 'closed', 'failure', true))).toBe(true);
    // The same deployment run again after a restart queues nothing more for the closed action.
    expect(outbox.enqueue({ ...feedback(url, action, 'closed', 'success', true), key: `${url}#closed-again` })).toBe(false);
    expect(outbox.enqueue(feedback(url, action, 'closed', 'failure', true))).toBe(false);
    expect(await outbox.deliverDue()).toBe(1);

    // A second console's copy of the closing report (a different key, so the server cannot tell by it):
    // hawkBit answers 410 for the closed action, and the report is done rather than retried forever.
    const other = new Outbox(open(await tempDir('zuc-outbox-')), { backoff: FAST });
    other.register(HAWKBIT_FEEDBACK, sender);
    other.enqueue({ ...feedback(url, action, 'closed', 'failure', true), key: 'another-console' });
    expect(await other.deliverDue()).toBe(1);
    expect(server.feedbackFor(action)).toHaveLength(1);
    expect(server.feedbackPosts).toBe(2);
  });

  it('sends again, under the same key, a report whose answer never came, and the server keeps it once', async () => {
    const { server, sender, dir, feedbackUrl } = await setup();
    const action = oneArtifact(server);
    server.inject(/feedback$/, { kind: 'lose-answer' });
    const failures: string[] = [];
    const outbox = new Outbox(open(dir), { backoff: FAST, onError: (error) => failures.push(error.code) });
    outbox.register(HAWKBIT_FEEDBACK, sender);
    outbox.enqueue(feedback(feedbackUrl(action), action, 'proceeding'));
    expect(await outbox.deliverDue()).toBe(0);
    expect(failures).toEqual([E.BACKEND_TIMEOUT.code]);
    await new Promise((resolve) => setTimeout(resolve, FAST.firstDelayMs + 5));
    expect(await outbox.deliverDue()).toBe(1);
    expect(server.feedbackPosts).toBe(2);
    expect(server.feedbackFor(action)).toHaveLength(1);
    expect(new Set(server.feedback.map((f) => f.idempotencyKey))).toEqual(new Set([`${feedbackUrl(action)}#proceeding`]));
  });

  it('keeps a report the server refuses as bad instead of retrying it forever', async () => {
    const { server, sender, dir, feedbackUrl } = await setup();
    const action = oneArtifact(server);
    const outbox = new Outbox(open(dir), { backoff: FAST });
    outbox.register(HAWKBIT_FEEDBACK, sender);
    // The payload names another action: the server answers 400.
    outbox.enqueue({ ...feedback(feedbackUrl(action), 'not-this-action', 'proceeding') });
    expect(await outbox.deliverDue()).toBe(0);
    expect(outbox.store.list()).toMatchObject([{ status: 'rejected', lastError: expect.stringContaining(E.BACKEND_REJECTED.code) }]);
    await new Promise((resolve) => setTimeout(resolve, FAST.maxDelayMs));
    expect(await outbox.deliverDue()).toBe(0);
    expect(server.feedbackPosts).toBe(1);
  });

  it('two consoles sharing the database send each report once', async () => {
    const { server, sender, dir, feedbackUrl } = await setup();
    const actions = [oneArtifact(server), oneArtifact(server), oneArtifact(server)];
    const a = new Outbox(open(dir), { backoff: FAST });
    const b = new Outbox(open(dir), { backoff: FAST });
    for (const outbox of [a, b]) outbox.register(HAWKBIT_FEEDBACK, sender);
    for (const action of actions) a.enqueue(feedback(feedbackUrl(action), action, 'closed', 'success', true));
    const [fromA, fromB] = await Promise.all([a.deliverDue(), b.deliverDue()]);
    expect(fromA + fromB).toBe(3);
    expect(server.feedbackPosts).toBe(3);
    expect(actions.map((action) => server.actionState(action))).toEqual(['closed', 'closed', 'closed']);
  });

  it('in the background, delivers what was queued while the server was down once it is back, exactly once', async () => {
    const { server, sender, dir, feedbackUrl } = await setup();
    const action = oneArtifact(server);
    const url = feedbackUrl(action);
    const failures: string[] = [];
    const outbox = new Outbox(open(dir), { backoff: FAST, onError: (error) => failures.push(error.code) });
    outbox.register(HAWKBIT_FEEDBACK, sender);
    await server.goDown(300);
    outbox.start();
    outbox.enqueue(feedback(url, action, 'proceeding'));
    outbox.enqueue(feedback(url, action, 'closed', 'success', true));
    await until(() => server.actionState(action) === 'closed');
    await outbox.stop();
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((code) => code === E.BACKEND_UNREACHABLE.code)).toBe(true);
    expect(server.feedbackFor(action).map((f) => f.body.status.execution)).toEqual(['proceeding', 'closed']);
    expect(server.feedbackPosts).toBe(2);
    expect(outbox.store.list('pending')).toEqual([]);
  });
});

describe('stopping and housekeeping', () => {
  it('stops once its grace is over while a send hangs, and the next start sends the report without counting a failure', async () => {
    const { server, sender, dir, feedbackUrl } = await setup();
    const action = oneArtifact(server);
    server.inject(/feedback$/, { kind: 'hang' });
    const errors: string[] = [];
    const outbox = new Outbox(open(dir), { backoff: FAST, onError: (error) => errors.push(error.code) });
    outbox.register(HAWKBIT_FEEDBACK, sender);
    outbox.enqueue(feedback(feedbackUrl(action), action, 'closed', 'success', true));
    outbox.start();
    await until(() => server.requests.some((r) => r.endsWith('/feedback')));
    const stopping = Date.now();
    await outbox.stop(STOP_GRACE_MS);
    expect(Date.now() - stopping).toBeLessThan(STOP_GRACE_MS + 400);
    expect(errors).toEqual([]);
    expect(outbox.store.list()).toMatchObject([{ status: 'pending', attempts: 0 }]);

    outbox.start();
    await until(() => server.actionState(action) === 'closed');
    await outbox.stop();
    expect(outbox.store.list()).toMatchObject([{ status: 'delivered', attempts: 1 }]);
  });

  it('forgets delivered reports after a month and keeps those still waiting', async () => {
    const { server, dir, feedbackUrl } = await setup();
    const action = oneArtifact(server);
    const db = open(dir);
    let now = Date.UTC(2026, 9, 1);
    const clock = { now: () => now, sleep: systemClock.sleep };
    const outbox = new Outbox(db, { clock });
    outbox.enqueue(feedback(feedbackUrl(action), action, 'downloaded'));
    outbox.enqueue(feedback(feedbackUrl(action), action, 'closed', 'success', true));
    const [first] = outbox.store.list();
    outbox.store.markDelivered(first!.id, new Date(now).toISOString());
    now += OUTBOX_KEEP_DELIVERED_MS + 1000;
    outbox.start();
    await outbox.stop();
    expect(outbox.store.list().map((e) => e.key)).toEqual([`${feedbackUrl(action)}#closed`]);
  });
});

describe('retry pauses', () => {
  it('double from the first pause and stop growing at the cap', () => {
    const policy = { firstDelayMs: 1000, maxDelayMs: 10_000 };
    expect([1, 2, 3, 4, 5, 60].map((n) => retryDelayMs(n, policy))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});

describe('report outbox after a crash of another process', () => {
  it('takes over at once a report held by a console process that no longer exists', async () => {
    const { server, sender, dir, feedbackUrl } = await setup();
    const action = oneArtifact(server);
    const db = open(dir);
    const outbox = new Outbox(db, { backoff: FAST });
    outbox.enqueue(feedback(feedbackUrl(action), action, 'proceeding'));
    // A process that held the report for the next minute, then died.
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.on('exit', resolve));
    db.prepare(`UPDATE report_outbox SET lease_until_ms = ?, lease_pid = ?`).run(Date.now() + OUTBOX_LEASE_MS, child.pid);
    outbox.register(HAWKBIT_FEEDBACK, sender);
    expect(await outbox.deliverDue()).toBe(1);
    expect(server.feedbackFor(action)).toHaveLength(1);

    // A living holder (this process standing in for another console) is waited for.
    const next = oneArtifact(server);
    outbox.enqueue(feedback(feedbackUrl(next), next, 'proceeding'));
    db.prepare(`UPDATE report_outbox SET lease_until_ms = ?, lease_pid = ? WHERE status = 'pending'`).run(Date.now() + OUTBOX_LEASE_MS, process.ppid);
    expect(await outbox.deliverDue()).toBe(0);
  });
});
