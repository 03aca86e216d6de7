import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceView, JobLogLine, JobReport, JobState, JobView, StageRecord, UpdateReportView } from '../../electron/shared/contract';
import { createConsoleStore } from './console-store';
import { createEngineMirror, MIRROR_FLUSH_INTERVAL_MS } from './engine-mirror';
import { recordRenders } from './render-counter';

const TERMINALS = 32;
/** The engine's own limit per job (flash-job PROGRESS_INTERVAL_MS): ten progress views a second. */
const ENGINE_PROGRESS_INTERVAL_MS = 100;
const IMAGE_BYTES = 8 * 1024 * 1024;

const address = (i: number) => `tcp://127.0.0.1:${6000 + i}`;
const STARTED_AT = '2026-11-28T12:00:00.000Z';

function stages(status: (name: StageRecord['name']) => StageRecord['status']): StageRecord[] {
  return (['detect', 'download', 'verify', 'install', 'report'] as const).map((name) => ({ name, status: status(name), ms: status(name) === 'done' ? 10 : null }));
}

function report(i: number): JobReport {
  const failed = i % 8 === 0;
  return {
    jobId: `job-${i}`,
    address: address(i),
    serial: `SN${i}`,
    model: 'MF286D',
    imageName: 'mf286d-b03.zup',
    result: failed ? 'failed' : 'success',
    code: failed ? 'ZUC-4001' : 'ZUC-0000',
    error: null,
    stages: stages(() => 'done'),
    fromVersion: 'B02',
    toVersion: 'B03',
    activeSlot: 'b',
    bytesSent: IMAGE_BYTES,
    durationMs: 4000,
    startedAt: STARTED_AT,
    finishedAt: STARTED_AT,
  };
}

/**
 * One terminal's events as the engine sends them during an update: state
 * transitions, a log line with each, progress ten times a second while the
 * image is written (each terminal at its own speed), the device busy and
 * ready again, and the update report at the end.
 */
function terminalEvents(i: number): { atMs: number; send(mirror: ReturnType<typeof createEngineMirror>): void }[] {
  const id = `job-${i}`;
  const view = (state: JobState): JobView => ({ id, address: address(i), imageName: 'mf286d-b03.zup', createdAt: STARTED_AT, state, stages: stages(() => (state.kind === 'done' ? 'done' : 'active')) });
  const device = (state: DeviceView['state']): DeviceView => ({ address: address(i), info: null, state });
  const line = (atMs: number, message: string): JobLogLine => ({ jobId: id, at: new Date(Date.parse(STARTED_AT) + atMs).toISOString(), level: 'info', message });
  const events: { atMs: number; send(mirror: ReturnType<typeof createEngineMirror>): void }[] = [];
  // Terminals started a few milliseconds apart, as a real batch does: their events interleave instead of arriving in lockstep.
  const offsetMs = i * 3;
  const at = (atMs: number, send: (mirror: ReturnType<typeof createEngineMirror>) => void) => events.push({ atMs: offsetMs + atMs, send });
  const transition = (atMs: number, state: JobState) =>
    at(atMs, (m) => {
      m.jobChanged(view(state));
      m.jobLog(line(atMs, state.kind));
    });

  at(0, (m) => m.deviceChanged(device({ kind: 'busy', jobId: id })));
  transition(0, { kind: 'queued' });
  transition(5, { kind: 'detecting' });
  transition(40, { kind: 'verifying' });
  const writeMs = 2_000 + i * 60;
  for (let t = 0; t <= writeMs; t += ENGINE_PROGRESS_INTERVAL_MS) {
    const bytesDone = Math.min(IMAGE_BYTES, Math.round((IMAGE_BYTES * t) / writeMs));
    at(100 + t, (m) => m.jobChanged(view({ kind: 'installing', step: 'write', progress: { bytesDone, bytesTotal: IMAGE_BYTES, bytesPerSecond: IMAGE_BYTES / (writeMs / 1000), etaMs: writeMs - t } })));
  }
  const end = 100 + writeMs;
  for (const [k, step] of (['readback', 'activate', 'reboot', 'confirm'] as const).entries()) transition(end + 10 * (k + 1), { kind: 'installing', step, progress: null });
  transition(end + 60, { kind: 'reporting', result: report(i).result });
  transition(end + 70, { kind: 'done', report: report(i) });
  at(end + 70, (m) => {
    m.deviceChanged(device({ kind: 'ready' }));
    m.updateReport({ ...report(i), package: 'mf286d-b03', source: 'library:/lib', delta: true, bytesSaved: 1024 } satisfies UpdateReportView);
  });
  return events;
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse(STARTED_AT) });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the engine mirror under 32 terminals updating at once', () => {
  it('renders at most once per flush interval whatever the event rate, and ends exactly at the engine’s final state', async () => {
    const store = createConsoleStore();
    const mirror = createEngineMirror(store);
    mirror.snapshot({ devices: Array.from({ length: TERMINALS }, (_, i) => ({ address: address(i), info: null, state: { kind: 'ready' } })), jobs: [] }, []);
    // React renders once per task however many store updates the task made: count those tasks.
    const renders = recordRenders(store);

    const events = Array.from({ length: TERMINALS }, (_, i) => terminalEvents(i)).flat();
    for (const event of events) setTimeout(() => event.send(mirror), event.atMs);
    const lastEventMs = Math.max(...events.map((e) => e.atMs));
    await vi.advanceTimersByTimeAsync(lastEventMs + MIRROR_FLUSH_INTERVAL_MS);

    const seconds = lastEventMs / 1000;
    // The load is real: hundreds of events a second reach the mirror.
    expect(events.length / seconds).toBeGreaterThan(300);
    // In any one second of it, at most one render per flush interval (plus the one straddling the window's edge).
    const maxPerSecond = 1000 / MIRROR_FLUSH_INTERVAL_MS + 1;
    expect(renders.mostInOneSecond()).toBeLessThanOrEqual(maxPerSecond);
    expect(renders.times.length).toBeLessThan(events.length / 10);

    // Nothing lost, nothing stale: every job done with its report, every device ready, every log line and report kept.
    const s = store.getState();
    for (let i = 0; i < TERMINALS; i++) {
      expect(s.jobs[`job-${i}`]?.state).toEqual({ kind: 'done', report: report(i) });
      expect(s.devices[address(i)]?.state).toEqual({ kind: 'ready' });
      expect(s.jobLogs[`job-${i}`]?.map((l) => l.message)).toEqual(['queued', 'detecting', 'verifying', 'installing', 'installing', 'installing', 'installing', 'reporting', 'done']);
      expect(s.updateReports[`job-${i}`]?.bytesSaved).toBe(1024);
    }
    expect(s.jobOrder).toHaveLength(TERMINALS);
  });

  it('shows the first event after a quiet spell on the next turn, not a whole interval later', async () => {
    const store = createConsoleStore();
    const mirror = createEngineMirror(store);
    mirror.snapshot({ devices: [], jobs: [] }, []);
    await vi.advanceTimersByTimeAsync(5_000);
    mirror.jobChanged({ id: 'j', address: address(0), imageName: 'x.bin', createdAt: STARTED_AT, state: { kind: 'queued' }, stages: [] });
    expect(store.getState().jobs.j).toBeUndefined();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().jobs.j?.state.kind).toBe('queued');
  });

  it('drops held events when the connection’s mirror is disposed', async () => {
    const store = createConsoleStore();
    const mirror = createEngineMirror(store);
    mirror.snapshot({ devices: [], jobs: [] }, []);
    mirror.jobChanged({ id: 'j', address: address(0), imageName: 'x.bin', createdAt: STARTED_AT, state: { kind: 'queued' }, stages: [] });
    mirror.dispose();
    await vi.advanceTimersByTimeAsync(MIRROR_FLUSH_INTERVAL_MS * 2);
    expect(store.getState().jobs.j).toBeUndefined();
  });
});
