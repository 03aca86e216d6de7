import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../electron/engine';
import type { JobView } from '../electron/shared/contract';
import { buildFirmwareImage } from '../native/firmware';
import { startSimulatedTerminal, type RunningTerminal } from '../native/simulator';
import { createConsoleStore } from '../renderer/store/console-store';
import { MIRROR_FLUSH_INTERVAL_MS, mirrorService } from '../renderer/store/engine-mirror';
import { recordRenders } from '../renderer/store/render-counter';

/**
 * The page's store mirroring a real engine while 32 simulated terminals are
 * flashed at once: the renders it causes stay bounded, and it ends exactly
 * where the engine ends. No browser: the store and mirror are the page's own.
 */
const TERMINALS = 32;
const PAYLOAD_BYTES = 1024 * 1024;
/** Slow enough that every write reports progress for about a second and a half. */
const LINK_BYTES_PER_SECOND = 640 * 1024;
const FLEET_TIMEOUT_MS = 120_000;

let root: string;
let engine: Engine;
const terminals: RunningTerminal[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'zuc-mirror-fleet-'));
  for (let i = 0; i < TERMINALS; i++) {
    const stateDir = path.join(root, 'terminals', String(i));
    await mkdir(stateDir, { recursive: true });
    terminals.push(await startSimulatedTerminal({ stateDir, transport: 'tcp', model: 'MF286D', hwRevision: 'V1.0', serial: `ZTEM${String(i).padStart(5, '0')}`, version: '1.0.0', slotSize: 4 * 1024 * 1024, bootMs: 200, linkBytesPerSecond: LINK_BYTES_PER_SECOND }));
  }
  engine = createEngine({ dataDir: path.join(root, 'data'), timeouts: { bootMs: 30_000, commandMs: 30_000 } });
  for (const terminal of terminals) await engine.addDevice({ address: terminal.address });
}, FLEET_TIMEOUT_MS);

afterAll(async () => {
  await engine?.close();
  await Promise.all(terminals.map((t) => t.close()));
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the console store while 32 terminals are flashed at once', () => {
  it(
    'renders at most once per flush interval and ends with every job and terminal exactly as the engine has them',
    async () => {
      const payload = new Uint8Array(PAYLOAD_BYTES).map((_, i) => (i * 7) & 0xff);
      const image = path.join(root, 'MF286D-1.1.0.bin');
      await writeFile(image, buildFirmwareImage({ model: 'MF286D', hwRevision: 'V1.0', version: '1.1.0', payload }));

      const store = createConsoleStore();
      const mirror = await mirrorService(engine, store);
      // React renders once per task however many store updates the task made: count those tasks.
      const renders = recordRenders(store);

      const lastView = new Map<string, JobView>();
      let jobEvents = 0;
      const finished = new Promise<void>((resolve) => {
        engine.onJobChanged((view) => {
          jobEvents++;
          lastView.set(view.id, view);
          if ([...lastView.values()].filter((v) => v.state.kind === 'done').length === TERMINALS) resolve();
        });
      });
      const startedAt = Date.now();
      await Promise.all(terminals.map((t) => engine.startFlash({ address: t.address, image: { kind: 'path', path: image } })));
      await finished;
      const seconds = (Date.now() - startedAt) / 1000;
      // The engine's own device updates after the last job ended, then one more flush.
      await new Promise((resolve) => setTimeout(resolve, 1_000 + 2 * MIRROR_FLUSH_INTERVAL_MS));
      mirror.dispose();

      // Far more engine events than the page renders: the mirror is what holds the rate down.
      expect(jobEvents / seconds).toBeGreaterThan((2 * 1000) / MIRROR_FLUSH_INTERVAL_MS);
      expect(renders.times.length).toBeLessThan(jobEvents / 3);
      const maxPerSecond = 1000 / MIRROR_FLUSH_INTERVAL_MS + 1;
      expect(renders.mostInOneSecond()).toBeLessThanOrEqual(maxPerSecond);

      const s = store.getState();
      for (const [id, view] of lastView) {
        expect(view.state.kind === 'done' && view.state.report.result, id).toBe('success');
        expect(s.jobs[id]).toEqual(view);
      }
      const { devices } = await engine.getSnapshot({});
      for (const device of devices) expect(s.devices[device.address]).toEqual(device);
    },
    FLEET_TIMEOUT_MS,
  );
});
