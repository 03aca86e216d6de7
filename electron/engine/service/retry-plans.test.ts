import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import { finishedReport, refusal } from '../test-kit';
import { RetryPlans } from './retry-plans';
import { DATABASE_FILE, openDatabase, type Db } from '../store/database';
import { JobStore } from '../store/job-store';
import { MIGRATIONS } from '../store/migrations';
import { RetryPlanStore, type RetryPlan } from '../store/retry-plan-store';

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

describe('the retry rule', () => {
  it('gives the plan of the newest failed job on a terminal whose code is retryable', () => {
    const jobs = new JobStore(db);
    const plans = new RetryPlans(db);
    job(jobs, 'j1', '2026-12-01T10:00:00.000Z');
    plans.remember('j1', flashPlan);
    expect(plans.planFor('j1', jobs.getReport('j1')!)).toEqual(flashPlan);
  });

  it('refuses a success, a code another try would not fix, a running job, a job without a plan, an unknown id, and a job a later one superseded', async () => {
    const jobs = new JobStore(db);
    const plans = new RetryPlans(db);
    job(jobs, 'ok', '2026-12-01T10:00:00.000Z', E.SUCCESS.code, 'tcp://ok');
    job(jobs, 'rolled', '2026-12-01T10:00:00.000Z', E.BOOT_FAILED_ROLLED_BACK.code, 'tcp://rolled');
    job(jobs, 'bare', '2026-12-01T10:00:00.000Z', E.READBACK_MISMATCH.code, 'tcp://bare');
    jobs.insertJob({ id: 'running', address: 'tcp://running', imageName: 'x.bin', createdAt: '2026-12-01T10:00:00.000Z' });
    job(jobs, 'old', '2026-12-01T10:00:00.000Z');
    jobs.insertJob({ id: 'newer', address: A, imageName: 'x.bin', createdAt: '2026-12-01T11:00:00.000Z' });
    for (const id of ['ok', 'rolled', 'running', 'old']) plans.remember(id, { kind: 'update', address: 'tcp://x' });
    const report = (id: string) => jobs.getReport(id) ?? null;
    for (const id of ['ok', 'rolled', 'running', 'bare', 'old']) expect(await refusal(() => plans.planFor(id, report(id))), id).toBe(E.RETRY_UNAVAILABLE.code);
    expect(await refusal(() => plans.planFor('nothing', null))).toBe(E.JOB_NOT_FOUND.code);
  });

  it('lists, for a snapshot, the retryable newest job of each terminal that the engine does not list already', () => {
    const jobs = new JobStore(db);
    const plans = new RetryPlans(db);
    const report = (id: string) => jobs.getReport(id);
    job(jobs, 'a-old', '2026-12-01T09:00:00.000Z');
    job(jobs, 'a-new', '2026-12-01T10:00:00.000Z');
    job(jobs, 'b', '2026-12-01T10:00:00.000Z', E.READBACK_MISMATCH.code, 'tcp://b');
    job(jobs, 'c', '2026-12-01T10:00:00.000Z', E.BOOT_FAILED_ROLLED_BACK.code, 'tcp://c');
    for (const id of ['a-old', 'a-new', 'b', 'c']) plans.remember(id, { kind: 'update', address: 'tcp://x' });
    expect(plans.earlierRetryable(new Set(), report).map((v) => [v.id, v.canRetry])).toEqual(expect.arrayContaining([['a-new', true], ['b', true]]));
    expect(plans.earlierRetryable(new Set(), report)).toHaveLength(2);
    expect(plans.earlierRetryable(new Set(['b']), report).map((v) => v.id)).toEqual(['a-new']);
  });
});

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

  it('refuses a damaged or unknown plan with RETRY_PLAN_DAMAGED instead of crashing', async () => {
    const jobs = new JobStore(db);
    const store = new RetryPlanStore(db);
    for (const [id, json] of [['cut', '{"kind":"flash","addr'], ['alien', '{"kind":"reformat","address":"x"}'], ['bad-hash', JSON.stringify({ ...flashPlan, sha256: 'not-hex' })]] as const) {
      job(jobs, id, '2026-12-01T10:00:00.000Z', E.READBACK_MISMATCH.code, `tcp://${id}`);
      db.prepare(`UPDATE jobs SET retry_plan_json = ? WHERE id = ?`).run(json, id);
      expect(await refusal(() => store.load(id))).toBe(E.RETRY_PLAN_DAMAGED.code);
    }
  });

  it('adds the column to a database of the previous schema, keeping its jobs, which have no plan', async () => {
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
    expect(await refusal(() => new RetryPlans(db).planFor('old', new JobStore(db).getReport('old')!))).toBe(E.RETRY_UNAVAILABLE.code);
  });
});
