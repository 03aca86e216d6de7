import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { JobReport, JobState, JobView } from '../shared/contract';
import { buildTestFirmware, startSimulatedTerminal, type RunningTerminal, type SimulatedTerminalOptions } from '../../native/simulator';
import { createEngine, type Engine, type EngineOptions } from './index';
import type { EngineTimeouts } from './timeouts';
import { E, ZucError } from '../shared/errors';

/**
 * Shared by the engine's and the CLI's tests: real simulated terminals and
 * real engines in temp folders, closed after each test.
 */
export const SIM_BOOT_MS = 100;
export const MODEL = 'MF286D';
export const HW_REVISION = 'V1.0';

/** Short enough for tests, long enough for a loaded machine: a boot of SIM_BOOT_MS × 3 tries fits easily. */
export const TEST_TIMEOUTS: Partial<EngineTimeouts> = { connectMs: 2000, commandMs: 4000, hashMs: 8000, writeStallMs: 4000, bootMs: 8000, reconnectIntervalMs: 40, reconnectWaitMs: 8000, closeGraceMs: 2000 };

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Closes `resource` after the running test (after what was started later), so a test needs no variable and hook of its own. */
export function closeAfterTest<T extends { close(): unknown }>(resource: T): T {
  cleanups.push(async () => resource.close());
  return resource;
}

/** Waits until `check` holds, looking every 10 ms; throws after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function tempDir(prefix = 'zuc-engine-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function startTerminal(options: Partial<SimulatedTerminalOptions> = {}): Promise<RunningTerminal> {
  const terminal = await startSimulatedTerminal({ stateDir: await tempDir('zuc-sim-'), bootMs: SIM_BOOT_MS, model: MODEL, hwRevision: HW_REVISION, version: 'B01', ...options });
  cleanups.push(() => terminal.close());
  return terminal;
}

export async function startEngine(options: EngineOptions = {}): Promise<Engine> {
  const engine = createEngine({ dataDir: await tempDir('zuc-data-'), timeouts: TEST_TIMEOUTS, ...options });
  cleanups.push(() => engine.close());
  return engine;
}

/** A simulated terminal the engine already added (identified, ready): where most job tests start. */
export async function engineWithTerminal(terminalOptions: Partial<SimulatedTerminalOptions> = {}, engineOptions: EngineOptions = {}): Promise<{ terminal: RunningTerminal; engine: Engine }> {
  const terminal = await startTerminal(terminalOptions);
  const engine = await startEngine(engineOptions);
  await engine.addDevice({ address: terminal.address });
  return { terminal, engine };
}

/** A loopback TCP port nothing listens on: a terminal or server that is down (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A valid image for the test terminal's model, written to a temp file; returns its path and bytes. */
export async function imageFile(spec: { version: string; model?: string; hwRevision?: string; payloadBytes?: number }): Promise<{ path: string; bytes: Uint8Array }> {
  const bytes = buildTestFirmware({ model: spec.model ?? MODEL, hwRevision: spec.hwRevision ?? HW_REVISION, version: spec.version, payloadBytes: spec.payloadBytes ?? 96 * 1024 });
  const file = path.join(await tempDir('zuc-image-'), `${spec.model ?? MODEL}_${spec.version}.bin`);
  await writeFile(file, bytes);
  return { path: file, bytes };
}

/** Runs one flash through the service and collects every state the job went through. */
export function flash(engine: Engine, address: string, imagePath: string): Promise<{ report: JobReport; states: JobState[]; views: JobView[] }> {
  return followJob(engine, address, () => engine.startFlash({ address, image: { kind: 'path', path: imagePath } }));
}

/** Starts a job on `address` with `start` and waits for its report, keeping every view the job went through. */
export async function followJob(engine: Engine, address: string, start: () => Promise<unknown>): Promise<{ report: JobReport; states: JobState[]; views: JobView[] }> {
  const views: JobView[] = [];
  let done: (report: JobReport) => void = () => undefined;
  const finished = new Promise<JobReport>((resolve) => (done = resolve));
  const subscription = engine.onJobChanged((view) => {
    if (view.address !== address) return;
    views.push(view);
    if (view.state.kind === 'done') done(view.state.report);
  });
  try {
    await start();
    const report = await finished;
    return { report, states: views.map((v) => v.state), views };
  } finally {
    subscription.dispose();
  }
}

/** The state kinds a job passed through, install steps spelled out, repeats (progress) folded. */
export function statePath(states: JobState[]): string[] {
  const names = states.map((s) => (s.kind === 'installing' ? `installing:${s.step}` : s.kind === 'reporting' ? `reporting:${s.result}` : s.kind));
  return names.filter((name, i) => name !== names[i - 1]);
}

/** statePath of a flash that installs, boots and confirms the new slot without a hitch. */
export const FLASH_SUCCESS_PATH = ['queued', 'detecting', 'verifying', 'installing:write', 'installing:readback', 'installing:activate', 'installing:reboot', 'installing:confirm', 'reporting:success', 'done'];

/** statePath of a flash whose write was cut once: it waits for the terminal, resumes the write and succeeds. */
export const RESUMED_FLASH_PATH = ['queued', 'detecting', 'verifying', 'installing:write', 'waiting-for-terminal', 'installing:write', 'installing:readback', 'installing:activate', 'installing:reboot', 'installing:confirm', 'reporting:success', 'done'];

/** statePath of a flash whose new slot was never confirmed: the terminal is rolled back to its old slot. */
export const ROLLED_BACK_PATH = ['queued', 'detecting', 'verifying', 'installing:write', 'installing:readback', 'installing:activate', 'installing:reboot', 'installing:confirm', 'rolling-back', 'reporting:rolled-back', 'done'];

/** A finished job's report as the history stores it: a success of MF286D B01 → B02 on ZTE0001, with `over` applied. */
export function finishedReport(jobId: string, over: Partial<JobReport> = {}): JobReport {
  return {
    jobId,
    address: 'tcp://127.0.0.1:5600',
    serial: 'ZTE0001',
    model: MODEL,
    imageName: 'MF286D_B02.bin',
    result: 'success',
    code: E.SUCCESS.code,
    error: null,
    stages: [{ name: 'detect', status: 'done', ms: 3 }],
    fromVersion: 'B01',
    toVersion: 'B02',
    activeSlot: 'b',
    bytesSent: 1000,
    durationMs: 900,
    startedAt: '2026-11-01T10:00:00.000Z',
    finishedAt: '2026-11-01T10:01:00.000Z',
    ...over,
  };
}

/** The catalogued code `work` is refused with; 'not refused' when it succeeds, 'not a ZucError: …' for any other throw. */
export async function refusal(work: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (err) {
    return err instanceof ZucError ? err.code : `not a ZucError: ${String(err)}`;
  }
  return 'not refused';
}
