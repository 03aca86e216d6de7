import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobReport } from '../../shared/contract';
import { E } from '../../shared/errors';
import { trustDirWith } from '../../engine/image/package-test-kit';
import { startReportTestServer, type ReportTestServer } from '../../engine/report/report-test-server';
import { startEngine, tempDir } from '../../engine/test-kit';
import type { UpdateReport } from '../../engine/update';
import { buildFleetLibrary } from '../../engine/update/fleet-fixtures';
import { publisher, startFleet } from '../../engine/update/update-test-kit';
import { REPO_ROOT, zuc, zucProcess } from './cli-test-kit';

/** Big enough, on a slow link, that the kill lands well inside the transfer. */
const PAYLOAD_BYTES = 512 * 1024;
const LINK_BYTES_PER_SECOND = 128 * 1024;
const POLL_MS = 20;

let backend: ReportTestServer | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

/** Runs `zuc ARGS` as a real process and kills it with SIGKILL once `when()` holds. */
function zucKilledWhen(args: string[], dataDir: string, when: () => boolean): Promise<{ signal: NodeJS.Signals | null; stdout: string }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/zuc.js'), ...args], { cwd: REPO_ROOT, env: { ...process.env, ZUC_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const watch = setInterval(() => {
    if (when()) child.kill('SIGKILL');
  }, POLL_MS);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearInterval(watch);
      resolve({ signal, stdout });
    });
  });
}

describe('zuc update killed mid-transfer and run again', () => {
  it('leaves the terminal on its old slot, shows the job interrupted with a code, updates on the next run, and the backend gets each report exactly once', async () => {
    const library = await buildFleetLibrary(path.join(await tempDir('zuc-library-'), 'library'), { key: publisher, payloadBytes: PAYLOAD_BYTES });
    const [member] = await startFleet(1, ['B01'], [], { linkBytesPerSecond: LINK_BYTES_PER_SECOND });
    const terminal = member!.terminal;
    backend = await startReportTestServer();
    const dataDir = await tempDir();
    const setup = await startEngine({ dataDir });
    await setup.updateSettings({ reportUrl: backend.url });
    await setup.close();
    const args = ['update', '--library', library.dir, '--trust', await trustDirWith(publisher), '--json', terminal.address];

    // 1. The console process dies with a quarter of the image on the terminal.
    const killed = await zucKilledWhen(args, dataDir, () => terminal.inspect().payloadBytesReceived > PAYLOAD_BYTES / 4);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).toBe('');
    const received = terminal.inspect().payloadBytesReceived;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(PAYLOAD_BYTES);
    // Nothing was activated: the terminal boots its old slot.
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' } } });
    expect(backend.posts).toBe(0);

    // 2. The next console start shows the job interrupted, with its code.
    const [interrupted] = JSON.parse((await zuc(['history', '--json'], { dataDir })).stdout) as JobReport[];
    expect(interrupted).toMatchObject({ result: 'failed', code: E.INTERRUPTED.code, address: terminal.address, fromVersion: 'B01', toVersion: 'B03', activeSlot: 'a' });

    // 3. Restarted, the update runs to success.
    const rerun = await zucProcess(args, dataDir);
    expect(rerun.status, rerun.stderr).toBe(0);
    const [done] = JSON.parse(rerun.stdout) as UpdateReport[];
    expect(done).toMatchObject({ result: 'success', toVersion: 'B03', package: 'mf286d-b03' });
    expect(terminal.inspect().slots[terminal.inspect().activeSlot].version).toBe('B03');

    // 4. A third run finds nothing new; no report is sent twice.
    const again = await zucProcess(args, dataDir);
    const [nothing] = JSON.parse(again.stdout) as UpdateReport[];
    expect(nothing).toMatchObject({ result: 'failed', code: E.UPDATE_NOT_FOUND.code });

    const keys = [`update:${interrupted!.jobId}`, `update:${done!.jobId}`, `update:${nothing!.jobId}`];
    expect(backend.reports.map((r) => r.key)).toEqual(keys);
    expect([...backend.postsPerKey().values()]).toEqual([1, 1, 1]);
    expect(backend.reports[0]!.body).toMatchObject({ jobId: interrupted!.jobId, result: 'failed', code: E.INTERRUPTED.code, package: 'mf286d-b03', source: `library:${library.dir}`, delta: false });
    expect(backend.reports[1]!.body).toMatchObject({ jobId: done!.jobId, result: 'success', code: E.SUCCESS.code });
  });
});
