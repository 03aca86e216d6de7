import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobReport, StageRecord } from '../../shared/contract';
import { E } from '../../shared/errors';
import { DATABASE_FILE, openDatabase } from './database';
import { DeviceStore } from './device-store';
import { MIGRATIONS } from './migrations';
import { JobStore, processAlive } from './job-store';
import { finishedReport } from '../test-kit';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zuc-store-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const stages: StageRecord[] = [
  { name: 'detect', status: 'done', ms: 12 },
  { name: 'download', status: 'skipped', ms: null },
  { name: 'verify', status: 'done', ms: 3 },
  {
    name: 'install',
    status: 'done',
    ms: 900,
    steps: [
      { name: 'write', status: 'done', ms: 700 },
      { name: 'readback', status: 'done', ms: 50 },
      { name: 'activate', status: 'done', ms: 5 },
      { name: 'reboot', status: 'done', ms: 140 },
      { name: 'confirm', status: 'done', ms: 5 },
    ],
  },
  { name: 'report', status: 'done', ms: 2 },
];

function report(jobId: string, startedAt: string): JobReport {
  return finishedReport(jobId, { stages, bytesSent: 65664, durationMs: 922, startedAt, finishedAt: startedAt });
}

describe('job store', () => {
  it('creates the database on first run and keeps finished jobs across reopening', () => {
    const db = openDatabase(dir);
    expect(fs.existsSync(path.join(dir, DATABASE_FILE))).toBe(true);
    const store = new JobStore(db);
    store.insertJob({ id: 'j1', address: 'tcp://127.0.0.1:5600', imageName: 'MF286D_B02.bin', createdAt: '2026-11-28T10:00:00.000Z' });
    store.appendLog({ jobId: 'j1', at: '2026-11-28T10:00:00.100Z', level: 'info', message: 'queued -> detecting' });
    store.finishJob(report('j1', '2026-11-28T10:00:00.000Z'));
    db.close();

    const again = openDatabase(dir);
    const reopened = new JobStore(again);
    expect(reopened.listReports(10)).toEqual([report('j1', '2026-11-28T10:00:00.000Z')]);
    expect(reopened.getLog('j1').map((l) => l.message)).toEqual(['queued -> detecting']);
    again.close();
  });

  it('lists newest first and honours the limit', () => {
    const db = openDatabase(dir);
    const store = new JobStore(db);
    for (const [id, at] of [['old', '2026-11-27T10:00:00.000Z'], ['new', '2026-11-28T10:00:00.000Z'], ['mid', '2026-11-27T18:00:00.000Z']] as const) {
      store.insertJob({ id, address: 'tcp://127.0.0.1:5600', imageName: 'x.bin', createdAt: at });
      store.finishJob(report(id, at));
    }
    expect(store.listReports(2).map((r) => r.jobId)).toEqual(['new', 'mid']);
    db.close();
  });

  it('marks a job left running by a crashed process as interrupted at the next start', () => {
    const db = openDatabase(dir);
    const store = new JobStore(db);
    store.insertJob({ id: 'crashed', address: 'tcp://127.0.0.1:5600', imageName: 'x.bin', createdAt: '2026-11-28T10:00:00.000Z' });
    store.updateFacts('crashed', { serial: 'ZTE0001', model: 'MF286D', fromVersion: 'B01', toVersion: 'B02', activeSlot: 'a', bytesSent: 4096 });
    store.saveStages('crashed', [{ name: 'detect', status: 'done', ms: 10 }, { name: 'install', status: 'active', ms: null }]);
    // The process dies here: nothing finishes the job.
    db.close();

    const again = openDatabase(dir);
    const reopened = new JobStore(again);
    expect(reopened.listReports(10)).toEqual([]);
    // While its process lives, another console opening the file leaves the job alone.
    expect(reopened.markInterrupted('2026-11-28T10:00:10.000Z', () => true)).toEqual([]);
    expect(reopened.markInterrupted('2026-11-28T10:00:30.000Z', () => false)).toEqual(['crashed']);
    const [interrupted] = reopened.listReports(10);
    expect(interrupted).toMatchObject({
      jobId: 'crashed',
      result: 'failed',
      code: E.INTERRUPTED.code,
      serial: 'ZTE0001',
      fromVersion: 'B01',
      bytesSent: 4096,
      stages: [{ name: 'detect', status: 'done' }, { name: 'install', status: 'failed' }],
    });
    expect(interrupted!.durationMs).toBeCloseTo(30_000, -1);
    expect(interrupted!.error?.code).toBe(E.INTERRUPTED.code);
    expect(reopened.markInterrupted('2026-11-28T10:01:00.000Z', () => false)).toEqual([]);
    again.close();
  });

  it('refuses a database written by a newer console instead of guessing', () => {
    const raw = new Database(path.join(dir, DATABASE_FILE));
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openDatabase(dir)).toThrow(expect.objectContaining({ code: E.DATABASE.code }));
  });
});

describe('processAlive', () => {
  it('tells a living process from one that exited', async () => {
    expect(processAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.on('exit', resolve));
    expect(processAlive(child.pid!)).toBe(false);
  });
});

describe('device store', () => {
  it('remembers the last identity of a terminal even when it is later offline', () => {
    const db = openDatabase(dir);
    const devices = new DeviceStore(db);
    const info = {
      address: 'tcp://127.0.0.1:5600',
      transport: 'tcp' as const,
      model: 'MF286D',
      hwRevision: 'V1.0',
      serial: 'ZTE0001',
      firmwareVersion: 'B01',
      activeSlot: 'a' as const,
      slots: { a: { version: 'B01', state: 'good' as const, triesLeft: 3 }, b: { version: '', state: 'empty' as const, triesLeft: 0 } },
      slotSize: 1 << 20,
      agentVersion: 1,
    };
    devices.save({ address: info.address, info, lastSeen: '2026-11-28T10:00:00.000Z' });
    devices.save({ address: info.address, info: null, lastSeen: '2026-11-28T11:00:00.000Z' });
    expect(devices.list()).toEqual([{ address: info.address, info, lastSeen: '2026-11-28T10:00:00.000Z' }]);
    devices.remove(info.address);
    expect(devices.list()).toEqual([]);
    db.close();
  });
});

describe('opening the database', () => {
  it('lets several consoles open a new database at the same moment', async () => {
    const opened = await Promise.all(
      Array.from({ length: 4 }, () =>
        new Promise<number>((resolve, reject) => {
          // Separate processes, as the desktop app, the station and a CLI run would be.
          const child = spawn(process.execPath, ['--import', 'tsx', '-e', `import('${path.resolve(import.meta.dirname, 'database.ts')}').then((m) => { m.openDatabase(${JSON.stringify(dir)}).close(); })`], { stdio: 'ignore' });
          child.on('error', reject);
          child.on('exit', (code) => resolve(code ?? -1));
        }),
      ),
    );
    expect(opened).toEqual([0, 0, 0, 0]);
    const db = openDatabase(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });
});
