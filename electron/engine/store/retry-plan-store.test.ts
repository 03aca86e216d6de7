import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { E, ZucError } from '../../shared/errors';
import { RetryPlans } from '../service/retry-plans';
import { finishedReport } from '../test-kit';
import { DATABASE_FILE, openDatabase, type Db } from './database';
import { JobStore } from './job-store';
import { MIGRATIONS } from './migrations';
import { RetryPlanStore, type RetryPlan } from './retry-plan-store';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zuc-retry-'));
  db = openDatabase(dir);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const A = 'tcp://127.0.0.1:5600';
const flashPlan: RetryPlan = { kind: 'flash', address: A, imageName: 'MF286D_B02.bin', image: { kind: 'path', path: '/images/MF286D_B02.bin' }, sha256: null };

/** A finished job on `address`, started at `startedAt`. */
function job(jobs: JobStore, id: string, startedAt: string, code: string = E.READBACK_MISMATCH.code, address = A): void {
  jobs.insertJob({ id, address, imageName: 'MF286D_B02.bin', createdAt: startedAt });
  jobs.finishJob(finishedReport(id, { address, startedAt, finishedAt: startedAt, result: code === E.SUCCESS.code ? 'success' : 'failed', code }));
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return err instanceof ZucError ? err.code : `not a ZucError: ${String(err)}`;
  }
  return 'not refused';
}

describe('retry plans in the history', () => {
  it('reads back the plan stored with a job, with the image hash the job read', () => {
    const jobs = new JobStore(db);
    const store = new RetryPlanStore(db);
    job(jobs, 'j1', '2026-12-01T10:00:00.000Z');
    store.save('j1', flashPlan);
    expect(store.load('j1')).toEqual({ found: true, plan: flashPlan });
    new RetryPlans(db).imageRead('j1', 'ab'.repeat(32));
    expect(store.load('j1')).toEqual({ found: true, plan: { ...flashPlan, sha256: 'ab'.repeat(32) } });
    expect(store.load('nothing')).toEqual({ found: false });
  });

  it('refuses a damaged or unknown plan with RETRY_PLAN_DAMAGED instead of crashing', () => {
    const jobs = new JobStore(db);
    const store = new RetryPlanStore(db);
    for (const [id, json] of [['cut', '{"kind":"flash","addr'], ['alien', '{"kind":"reformat","address":"x"}'], ['bad-hash', JSON.stringify({ ...flashPlan, sha256: 'not-hex' })]] as const) {
      job(jobs, id, '2026-12-01T10:00:00.000Z', E.READBACK_MISMATCH.code, `tcp://${id}`);
      db.prepare(`UPDATE jobs SET retry_plan_json = ? WHERE id = ?`).run(json, id);
      expect(refusal(() => store.load(id))).toBe(E.RETRY_PLAN_DAMAGED.code);
    }
  });

  it('adds the column to a database of the previous schema, keeping its jobs, which have no plan', () => {
    db.close();
    const old = path.join(dir, 'old');
    fs.mkdirSync(old);
    const raw = new Database(path.join(old, DATABASE_FILE));
    for (const migration of MIGRATIONS.slice(0, 3)) raw.exec(migration);
    raw.pragma('user_version = 3');
    raw.prepare(`INSERT INTO jobs (id, address, image_name, created_at, status, result, code) VALUES ('old', ?, 'x.bin', '2026-01-01T00:00:00.000Z', 'finished', 'failed', ?)`).run(A, E.READBACK_MISMATCH.code);
    raw.close();
    db = openDatabase(old);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(new RetryPlanStore(db).load('old')).toEqual({ found: true, plan: null });
    expect(refusal(() => new RetryPlans(db).planFor('old', new JobStore(db).getReport('old')!))).toBe(E.RETRY_UNAVAILABLE.code);
  });
});
