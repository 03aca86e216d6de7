import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import { jobLogLine, logText } from '../../shared/job-log';
import { openDatabase } from './database';
import { JobStore } from './job-store';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zuc-log-store-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const AT = '2026-12-07T01:00:00.000Z';

function storeWithJob() {
  const db = openDatabase(dir);
  const store = new JobStore(db);
  store.insertJob({ id: 'j1', address: 'tcp://127.0.0.1:5600', imageName: 'MF286D_B02.bin', createdAt: AT });
  return { db, store };
}

describe('job log in the database', () => {
  it('reads a line back after a restart with its catalogued text, so it can be shown in the console’s language', () => {
    const { db, store } = storeWithJob();
    const written = jobLogLine('j1', AT, 'info', logText('state-changed', { from: { kind: 'queued' }, to: { kind: 'detecting' } }));
    store.appendLog(written);
    store.appendLog(jobLogLine('j1', AT, 'debug', 'device: agent started'));
    db.close();

    const again = openDatabase(dir);
    expect(new JobStore(again).getLog('j1')).toEqual([written, { jobId: 'j1', at: AT, level: 'debug', message: 'device: agent started' }]);
    again.close();
  });

  it('keeps only the English message of lines stored before ids existed or with an id this console does not know', () => {
    const { db, store } = storeWithJob();
    db.prepare(`INSERT INTO job_log (job_id, at, level, message) VALUES ('j1', ?, 'info', 'queued -> detecting')`).run(AT);
    db.prepare(`INSERT INTO job_log (job_id, at, level, message, text_json) VALUES ('j1', ?, 'info', 'a newer line', ?)`).run(AT, JSON.stringify({ id: 'from-a-newer-console', args: {} }));
    expect(store.getLog('j1')).toEqual([
      { jobId: 'j1', at: AT, level: 'info', message: 'queued -> detecting' },
      { jobId: 'j1', at: AT, level: 'info', message: 'a newer line' },
    ]);
    db.close();
  });

  it('marks an interrupted job with a catalogued error line', () => {
    const { db, store } = storeWithJob();
    store.markInterrupted(AT, () => false);
    const last = store.getLog('j1').at(-1)!;
    expect(last.text).toEqual({ id: 'error', args: { error: { code: E.INTERRUPTED.code, detail: '' } } });
    expect(last.message).toBe(`${E.INTERRUPTED.code} ${E.INTERRUPTED.title}`);
    db.close();
  });
});
