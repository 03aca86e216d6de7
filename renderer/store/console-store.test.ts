import { describe, expect, it } from 'vitest';
import type { DeviceView, JobView, Snapshot, TerminalInfo } from '../../electron/shared/contract';
import { finishedJobView } from '../../electron/shared/contract';
import { newestJobIds, offersRetry } from '../ui/job-retry';
import { createConsoleStore } from './console-store';
import { createEngineMirror } from './engine-mirror';

function terminal(address: string, active: 'a' | 'b', versions: { a: string; b: string }): TerminalInfo {
  return {
    address,
    transport: 'tcp',
    model: 'MF286D',
    hwRevision: 'V1.0',
    serial: `SN-${address.slice(-4)}`,
    firmwareVersion: versions[active],
    activeSlot: active,
    slots: {
      a: { version: versions.a, state: 'good', triesLeft: 0 },
      b: { version: versions.b, state: versions.b ? 'good' : 'empty', triesLeft: 0 },
    },
    slotSize: 4 * 1024 * 1024,
    agentVersion: 1,
  };
}

function device(address: string, active: 'a' | 'b', versions: { a: string; b: string }, state: DeviceView['state'] = { kind: 'ready' }): DeviceView {
  return { address, info: terminal(address, active, versions), state };
}

function job(id: string, address: string, createdAt: string, state: JobView['state'] = { kind: 'queued' }): JobView {
  return { id, address, imageName: `${id}.bin`, createdAt, state, stages: [] };
}

const A = 'tcp://127.0.0.1:5601';
const B = 'tcp://127.0.0.1:5602';

const snapshot: Snapshot = {
  devices: [device(A, 'a', { a: '1.0.0', b: '' }), device(B, 'b', { a: '1.0.0', b: '1.1.0' })],
  jobs: [job('old', B, '2026-11-28T10:00:00.000Z'), job('new', A, '2026-11-28T11:00:00.000Z')],
};

describe('console store mirroring the engine', () => {
  it('shows the snapshot: terminals in engine order, jobs newest first, newest job selected', () => {
    const store = createConsoleStore();
    createEngineMirror(store).snapshot(snapshot, []);
    const s = store.getState();
    expect(s.deviceOrder).toEqual([A, B]);
    expect(s.devices[B]?.info?.firmwareVersion).toBe('1.1.0');
    expect(s.jobOrder).toEqual(['new', 'old']);
    expect(s.selectedJobId).toBe('new');
  });

  it('drops device and job events that arrive before the snapshot, since the snapshot already holds them', () => {
    const store = createConsoleStore();
    const mirror = createEngineMirror(store);
    mirror.deviceChanged(device(A, 'a', { a: '0.9.0', b: '' }));
    mirror.jobChanged(job('stale', A, '2026-11-28T09:00:00.000Z'));
    mirror.snapshot(snapshot, []);
    const s = store.getState();
    expect(s.devices[A]?.info?.firmwareVersion).toBe('1.0.0');
    expect(s.jobs.stale).toBeUndefined();
  });

  it('follows events after the snapshot: a flash ends with the other slot active and the device ready again', () => {
    const store = createConsoleStore();
    const mirror = createEngineMirror(store);
    mirror.snapshot(snapshot, []);
    mirror.jobChanged(job('j3', A, '2026-11-28T12:00:00.000Z', { kind: 'verifying' }));
    mirror.deviceChanged(device(A, 'a', { a: '1.0.0', b: '' }, { kind: 'busy', jobId: 'j3' }));
    mirror.flush();
    expect(store.getState().jobOrder[0]).toBe('j3');
    expect(store.getState().devices[A]?.state).toEqual({ kind: 'busy', jobId: 'j3' });

    mirror.deviceChanged(device(A, 'b', { a: '1.0.0', b: '2.0.0' }));
    mirror.flush();
    const s = store.getState();
    expect(s.devices[A]?.info?.activeSlot).toBe('b');
    expect(s.devices[A]?.info?.slots.b.version).toBe('2.0.0');
    expect(s.devices[A]?.state.kind).toBe('ready');
    expect(s.deviceOrder).toEqual([A, B]);
  });

  it('removes a terminal the engine removed', () => {
    const store = createConsoleStore();
    const mirror = createEngineMirror(store);
    mirror.snapshot(snapshot, []);
    mirror.deviceRemoved(A);
    mirror.flush();
    expect(store.getState().deviceOrder).toEqual([B]);
    expect(store.getState().devices[A]).toBeUndefined();
  });

  it('keeps the selected job across a new snapshot (reconnect) while it still exists', () => {
    const store = createConsoleStore();
    const mirror = createEngineMirror(store);
    mirror.snapshot(snapshot, []);
    store.getState().selectJob('old');
    createEngineMirror(store).snapshot(snapshot, []);
    expect(store.getState().selectedJobId).toBe('old');
    createEngineMirror(store).snapshot({ devices: [], jobs: [] }, []);
    expect(store.getState().selectedJobId).toBeNull();
  });

  it('merges a fetched job log with lines that streamed in meanwhile, without duplicates', () => {
    const store = createConsoleStore();
    const mirror = createEngineMirror(store);
    const line = (n: number) => ({ jobId: 'new', at: `2026-11-28T11:00:0${n}.000Z`, level: 'info' as const, message: `line ${n}` });
    mirror.jobLog(line(2));
    mirror.jobLog(line(3));
    mirror.flush();
    store.getState().setJobLog('new', [line(1), line(2)]);
    mirror.jobLog(line(3));
    mirror.flush();
    expect(store.getState().jobLogs.new?.map((l) => l.message)).toEqual(['line 1', 'line 2', 'line 3']);
  });

  it('indexes the error catalog by code', () => {
    const store = createConsoleStore();
    createEngineMirror(store).snapshot(snapshot, [
      { code: 'ZUC-4003', title: 'Rolled back', cause: 'c', remedy: 'r', retryable: false, fumo: 410, tr069: 9010 },
    ]);
    expect(store.getState().errorCatalog['ZUC-4003']?.fumo).toBe(410);
  });
});

describe('job history from earlier sessions', () => {
  const report = (jobId: string, startedAt: string, result: 'success' | 'rolled-back') => ({
    jobId,
    address: A,
    serial: 'SN-5601',
    model: 'MF286D',
    imageName: `${jobId}.bin`,
    result,
    code: result === 'success' ? 'ZUC-0000' : 'ZUC-4002',
    error: null,
    stages: [{ name: 'detect' as const, status: 'done' as const, ms: 12 }],
    fromVersion: '1.0.0',
    toVersion: '1.1.0',
    activeSlot: 'b' as const,
    bytesSent: 1024,
    durationMs: 3000,
    startedAt,
    finishedAt: startedAt,
  });

  it('lists finished jobs the engine kept in its history after the live ones, as done with their report', () => {
    const store = createConsoleStore();
    createEngineMirror(store).snapshot(snapshot, [], [report('yesterday', '2026-11-27T09:00:00.000Z', 'rolled-back')]);
    const s = store.getState();
    expect(s.jobOrder).toEqual(['new', 'old', 'yesterday']);
    const job = s.jobs.yesterday!;
    expect(job.state.kind === 'done' && job.state.report.code).toBe('ZUC-4002');
    expect(job.stages).toEqual([{ name: 'detect', status: 'done', ms: 12 }]);
  });

  it('keeps the live view of a job that is both in the snapshot and in the history', () => {
    const store = createConsoleStore();
    createEngineMirror(store).snapshot(snapshot, [], [report('new', '2026-11-28T11:00:00.000Z', 'success')]);
    expect(store.getState().jobs.new?.state.kind).toBe('queued');
  });

  it('selects the newest history job when the engine has no live jobs (after a restart)', () => {
    const store = createConsoleStore();
    createEngineMirror(store).snapshot({ devices: [], jobs: [] }, [], [
      report('first', '2026-11-27T09:00:00.000Z', 'success'),
      report('second', '2026-11-27T10:00:00.000Z', 'success'),
    ]);
    expect(store.getState().selectedJobId).toBe('second');
  });
});

describe('Retry after a page reload', () => {
  const failedUpdate = (jobId: string, startedAt: string) => ({
    jobId,
    address: A,
    serial: '',
    model: '',
    imageName: '',
    result: 'failed' as const,
    code: 'ZUC-2001',
    error: { code: 'ZUC-2001', title: 't', cause: 'c', remedy: 'r', retryable: true, detail: '' },
    stages: [],
    fromVersion: '',
    toVersion: '',
    activeSlot: 'a' as const,
    bytesSent: 0,
    durationMs: 10,
    startedAt,
    finishedAt: startedAt,
  });

  it('offers Retry on a job a fresh page gets from the snapshot with the engine’s verdict, also when the history lists it too', () => {
    const report = failedUpdate('before-flash', '2026-11-28T12:00:00.000Z');
    const beforeReload = createConsoleStore();
    const live = createEngineMirror(beforeReload);
    live.snapshot({ devices: [], jobs: [] }, []);
    live.jobChanged({ ...finishedJobView(report), canRetry: true });
    live.flush();
    expect(offersRetry(beforeReload.getState().jobs['before-flash']!, newestJobIds(Object.values(beforeReload.getState().jobs)))).toBe(true);

    // The reload: a new store, filled from the engine's snapshot and history only.
    const reloaded = createConsoleStore();
    createEngineMirror(reloaded).snapshot({ devices: [], jobs: [{ ...finishedJobView(report), canRetry: true }] }, [], [report]);
    const s = reloaded.getState();
    expect(offersRetry(s.jobs['before-flash']!, newestJobIds(Object.values(s.jobs)))).toBe(true);
  });
});
