import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { E } from '../../../shared/errors';
import { PackageCache } from '../../download';
import { Outbox } from '../../report';
import { openDatabase, type Db } from '../../store';
import { tempDir, until } from '../../test-kit';
import { DdiClient } from './ddi-client';
import { startDdiTestServer, type DdiTestServer } from './ddi-test-server';
import { feedbackMarker, HAWKBIT_FEEDBACK, hawkbitFeedbackSender } from './feedback-sender';
import { HawkbitPoller } from './hawkbit-poller';

/**
 * The real hawkBit ignores Idempotency-Key: a feedback sent twice is two
 * lines in the action's history. These tests run the DDI test server that
 * way and check that a feedback which may have arrived already is looked up
 * in the action's history instead of being posted again.
 */
const CONTROLLER = 'ZTE0042';
const TOKEN = 'f0e1d2c3b4a59687f0e1d2c3b4a59687';
const FAST = { firstDelayMs: 20, maxDelayMs: 80 };
/** The server acts on a feedback and never answers it: the sender gives up after this. */
const IDLE_TIMEOUT_MS = 300;

let server: DdiTestServer | undefined;
const dbs: Db[] = [];
const outboxes: Outbox[] = [];
afterEach(async () => {
  await Promise.all(outboxes.splice(0).map((o) => o.stop(0)));
  for (const db of dbs.splice(0)) if (db.open) db.close();
  await server?.close();
  server = undefined;
});

function openDb(dir: string): Db {
  const db = openDatabase(dir);
  dbs.push(db);
  return db;
}

function client(ddi: DdiTestServer): DdiClient {
  return new DdiClient({ baseUrl: ddi.url, tenant: ddi.tenant, auth: { kind: 'target', token: TOKEN }, idleTimeoutMs: IDLE_TIMEOUT_MS });
}

function outboxOn(db: Db, ddi: DdiTestServer): Outbox {
  const outbox = new Outbox(db, { backoff: FAST });
  outbox.register(HAWKBIT_FEEDBACK, hawkbitFeedbackSender(client(ddi)));
  outboxes.push(outbox);
  return outbox;
}

/** The pid of a process that has ended: a console that died. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

describe('hawkBit feedback that may have arrived already (the server ignores Idempotency-Key)', () => {
  it('does not post an in-progress feedback again after its answer was lost: the action history shows each step once', async () => {
    server = await startDdiTestServer({ targetTokens: { [CONTROLLER]: TOKEN }, honourIdempotencyKey: false });
    const action = server.assign(CONTROLLER, { artifacts: [{ filename: 'fw.bin', bytes: new Uint8Array([7, 7, 7, 7]) }] });
    // The first feedback (download) is recorded by the server, its answer never comes.
    server.inject(/feedback$/, { kind: 'lose-answer' });
    const dir = await tempDir('zuc-feedback-');
    const outbox = outboxOn(openDb(dir), server);
    const poller = new HawkbitPoller({ client: client(server), outbox, controllerId: CONTROLLER, cache: PackageCache.inDataDir(dir), install: async () => ({ code: E.SUCCESS.code, details: ['installed fw.bin'] }) });

    expect((await poller.pollOnce()).outcome).toMatchObject({ kind: 'installed' });
    outbox.start();
    await until(() => server!.actionState(action) === 'closed');

    expect(server.feedbackFor(action).map((f) => f.body.status.execution)).toEqual(['download', 'downloaded', 'proceeding', 'closed']);
    expect(server.feedbackPosts).toBe(4);
    // The lost one was found in the history by its marker line and counted as delivered.
    const download = outbox.store.list().find((e) => e.key.endsWith('#download-0-2'))!;
    expect(download).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(server.feedbackFor(action)[0]!.body.status.details.at(-1)).toBe(feedbackMarker(download.key));
    // The poller read the deployment once; the sender read the action's history once, for the lost one only.
    expect(server.requests.filter((r) => r === `GET /${server!.tenant}/controller/v1/${CONTROLLER}/deploymentBase/${action}`)).toHaveLength(2);
  });

  it('does not post again a feedback that a console which died while sending it had delivered, and still posts one that had not arrived', async () => {
    server = await startDdiTestServer({ targetTokens: { [CONTROLLER]: TOKEN }, honourIdempotencyKey: false });
    const action = server.assign(CONTROLLER, { artifacts: [{ filename: 'fw.bin', bytes: new Uint8Array([1, 2, 3]) }] });
    const url = `${server.url}/${server.tenant}/controller/v1/${CONTROLLER}/deploymentBase/${action}/feedback`;
    const entry = (execution: string, step: string) => {
      const key = `${url}#${execution}-${step}`;
      return { key, kind: HAWKBIT_FEEDBACK, stream: url, target: url, payload: { id: action, time: '20261128T180000', status: { execution, result: { finished: 'none' }, details: [`${execution}`, feedbackMarker(key)] } } };
    };
    const dir = await tempDir('zuc-feedback-');
    const db = openDb(dir);
    const dying = new Outbox(db, { backoff: FAST });
    dying.enqueue(entry('download', '0-2'));
    // The console claims the feedback and sends it; the server takes it; the console dies before marking it.
    const [claimed] = dying.store.claimDue(Date.now(), 60_000, 1, [HAWKBIT_FEEDBACK]);
    expect(await client(server).postFeedback(new URL(claimed!.target), claimed!.payload as never, claimed!.key)).toBe('accepted');
    db.prepare(`UPDATE report_outbox SET lease_pid = ? WHERE key = ?`).run(await deadPid(), claimed!.key);
    dying.enqueue(entry('proceeding', '1-2'));

    const next = outboxOn(openDb(dir), server);
    expect(await next.deliverDue()).toBe(2);

    expect(server.feedbackFor(action).map((f) => f.body.status.execution)).toEqual(['download', 'proceeding']);
    expect(server.feedbackPosts).toBe(2);
  });
});
