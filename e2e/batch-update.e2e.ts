import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../electron/engine/package';
import { buildFleetLibrary, FLEET_MODELS } from '../electron/engine/update/fleet-fixtures';
import { E } from '../electron/shared/errors';
import { t } from '../renderer/i18n/en';
import { librarySettings, startBench, writeTrustFolder, type BenchTerminal } from './bench';
import { flashFromDialog } from './flash-dialog';
import { useConsolePage } from './spec-harness';

const BATCH_TIMEOUT_MS = 90_000;
/** The terminal whose flash corrupts what it writes: its update fails with a retryable code. */
const FAULTY = 3;
const FAILURE = E.READBACK_MISMATCH;

/** Six terminals of the fleet's three models, all on B02, the library offering B03. */
const TERMINALS: BenchTerminal[] = Array.from({ length: 6 }, (_, i) => ({
  ...FLEET_MODELS[i % FLEET_MODELS.length]!,
  serial: `ZTEB${String(i + 1).padStart(5, '0')}`,
  version: 'B02',
  faults: i === FAULTY ? ['corrupt-write'] : [],
}));

let root: string;

const app = useConsolePage({
  failedShotPrefix: 'batch',
  async bench() {
    // A signed firmware library and the publisher's key, as an operator would set them up in Settings.
    root = await mkdtemp(path.join(os.tmpdir(), 'zuc-batch-'));
    const publisher = generateKeyPair();
    const library = await buildFleetLibrary(path.join(root, 'library'), { key: publisher });
    return startBench(TERMINALS, { trustStoreDir: await writeTrustFolder(path.join(root, 'trust'), publisher), prepareDataDir: librarySettings(library.dir, { concurrency: 6 }) });
  },
  async ready() {
    for (const terminal of app.bench.terminals) await app.page.locator(`tr[data-address="${terminal.address}"] .tag-state-ready`).waitFor({ timeout: BATCH_TIMEOUT_MS });
  },
  async close() {
    if (root) await rm(root, { recursive: true, force: true });
  },
});

const row = (address: string) => app.page.locator(`.update-row[data-address="${address}"]`);
const faultyAddress = () => app.bench.terminals[FAULTY]!.address;

describe('batch update of six terminals from the library, one failing', () => {
  it('updates all six, shows five succeeded and the failure with its code, cause and remedy inline, and totals that add up', async () => {
    await app.page.getByRole('checkbox', { name: t.updates.selectAll }).check();
    await app.page.getByRole('button', { name: t.updates.check }).click();
    await app.page.getByRole('button', { name: t.updates.check, disabled: false }).waitFor({ timeout: BATCH_TIMEOUT_MS });
    await app.page.getByRole('button', { name: t.updates.update, exact: true }).click();
    await app.page.locator('main[data-screen="updates"]').waitFor();
    await app.page.getByTestId('batch-finished').waitFor({ timeout: BATCH_TIMEOUT_MS });

    expect(await app.page.getByTestId('batch-totals').textContent()).toBe(t.updates.batchTotals(6, 6, 1));
    expect(await app.page.getByTestId('batch-finished').textContent()).toContain(t.updates.batchFinished(6, 1));
    expect(await app.page.locator('.update-row').count()).toBe(6);
    for (const [i, terminal] of app.bench.terminals.entries()) {
      const status = await row(terminal.address).locator('.update-row-head .tag').textContent();
      expect(status, TERMINALS[i]!.serial).toBe(i === FAULTY ? t.jobState.failed : t.jobState.success);
    }

    const failed = row(faultyAddress());
    expect(await failed.getByTestId('error-code').textContent()).toBe(FAILURE.code);
    expect(await failed.getByTestId('error-cause').textContent()).toBe(FAILURE.cause);
    expect(await failed.getByTestId('error-remedy').textContent()).toBe(FAILURE.remedy);
    expect(await failed.locator('[data-stage="readback"]').getAttribute('data-status')).toBe('failed');
    // The catalog calls this code retryable: Retry is offered on that row, and on no other.
    expect(FAILURE.retryable).toBe(true);
    expect(await failed.getByRole('button', { name: new RegExp(`^${t.updates.retry}`) }).count()).toBe(1);
    expect(await app.page.getByTestId('retry').count()).toBe(1);
    await app.shot('batch-update.png');
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.shot('batch-update-dark.png');
    await app.page.emulateMedia({ colorScheme: 'light' });
  });

  it('retries the failed terminal’s update through the engine, which starts a new job in its place', async () => {
    const failed = row(faultyAddress());
    const before = await failed.getAttribute('data-job-id');
    await failed.getByTestId('retry').click();
    // A new job on the same terminal takes the row; the retried one is no longer counted.
    await app.page.locator(`.update-row[data-address="${faultyAddress()}"]:not([data-job-id="${before}"])`).waitFor({ timeout: BATCH_TIMEOUT_MS });
    const retried = row(faultyAddress());
    // The terminal still corrupts every write: the second try ends with the same code, and Retry is offered again.
    await retried.getByTestId('error-code').waitFor({ timeout: BATCH_TIMEOUT_MS });
    expect(await retried.getByTestId('error-code').textContent()).toBe(FAILURE.code);
    expect(await app.page.locator('.update-row').count()).toBe(6);
    expect(await app.page.getByTestId('batch-totals').textContent()).toBe(t.updates.batchTotals(6, 6, 1));
    expect(await retried.getByTestId('retry').count()).toBe(1);
  });

  it('retries a failed manual flash from the job panel with the same image, and the panel follows the new try', async () => {
    await app.page.getByRole('navigation', { name: t.nav.label }).getByRole('button', { name: t.nav.terminals }).click();
    const spec = TERMINALS[FAULTY]!;
    const image = await app.bench.writeImage({ model: spec.model, hwRevision: spec.hwRevision, version: 'B04', payloadBytes: 128 * 1024 });
    await app.page.locator(`tr[data-address="${faultyAddress()}"] .tag-state-ready`).waitFor({ timeout: BATCH_TIMEOUT_MS });
    await flashFromDialog(app.page, { address: faultyAddress(), name: `${spec.model} ${spec.serial}`, image, readyWhen: 'compatible' });

    const panel = app.page.locator('section.job-detail');
    await panel.getByTestId('job-status').filter({ hasText: t.jobState.failed }).waitFor({ timeout: BATCH_TIMEOUT_MS });
    const first = await panel.getAttribute('data-job-id');
    expect(await panel.getByTestId('error-code').textContent()).toBe(FAILURE.code);
    await panel.getByTestId('retry').click();
    await app.page.locator(`section.job-detail:not([data-job-id="${first}"])`).waitFor();
    expect(await panel.getByRole('heading', { level: 2 }).textContent()).toContain('MF286D-B04.bin');
    await panel.getByTestId('job-status').filter({ hasText: t.jobState.failed }).waitFor({ timeout: BATCH_TIMEOUT_MS });
    await app.shot('batch-update-flash-retry.png');
  });

  it('ran without a script error or a Content-Security-Policy refusal', () => {
    expect(app.problems).toEqual([]);
  });
});
