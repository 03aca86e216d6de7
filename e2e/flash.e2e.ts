import { describe, expect, it } from 'vitest';
import { E } from '../electron/shared/errors';
import { t } from '../renderer/i18n/en';
import { startBench } from './bench';
import { useConsolePage } from './spec-harness';

/** Longest a whole flash may take here, rollback (boot tries) included. */
const JOB_TIMEOUT_MS = 90_000;
/** Large enough that the write takes several progress updates. */
const PAYLOAD_BYTES = 3 * 1024 * 1024;

const GOOD = { model: 'MF286D', hwRevision: 'V1.0', serial: 'E2E286D0001', version: '1.2.0', faults: [] as string[] };
const BOOT_FAIL = { model: 'MF971R', hwRevision: 'V1.0', serial: 'E2E971R0002', version: '1.0.7', faults: ['boot-fail'] };

const app = useConsolePage({ bench: () => startBench([GOOD, BOOT_FAIL]) });

function row(address: string) {
  return app.page.locator(`tr[data-address="${address}"]`);
}

async function stageStatuses(): Promise<Record<string, string>> {
  const pairs = await app.page
    .locator('.job-detail .timeline [data-stage]')
    .evaluateAll((els) => els.map((el) => [el.getAttribute('data-stage') ?? '', el.getAttribute('data-status') ?? '']));
  return Object.fromEntries(pairs);
}

interface FlashOptions {
  /** Whether the job gets as far as writing (a refused image does not). */
  expectWrite: boolean;
  dialogScreenshot?: string;
  writingScreenshot?: string;
}

/** Opens the flash dialog on a terminal, chooses the image file, checks what the console read, starts. */
async function flash(
  address: string,
  terminal: { model: string; serial: string },
  imagePath: string,
  image: { model: string; version: string },
  options: FlashOptions,
): Promise<void> {
  await row(address).getByRole('button', { name: t.terminals.flashLabel(`${terminal.model} ${terminal.serial}`) }).click();
  const dialog = app.page.getByRole('dialog');
  await dialog.getByLabel(t.flash.fileLabel).setInputFiles(imagePath);
  await dialog.locator('[data-fact="version"]', { hasText: image.version }).waitFor();
  expect(await dialog.locator('[data-fact="model"]').textContent()).toBe(image.model);
  expect(await dialog.locator('[data-fact="sha256"]').textContent()).toMatch(/^[0-9a-f]{64}$/);
  expect(await dialog.locator('[data-fact="size"]').textContent()).toContain('MiB');
  // The engine's verdict for this terminal, before anything is written.
  const verdict = dialog.locator(`.compat-row[data-address="${address}"]`);
  await verdict.and(app.page.locator('[data-status="compatible"], [data-status="error"]')).waitFor();
  if (options.dialogScreenshot) await app.shot(options.dialogScreenshot, { fullPage: false });
  if (image.model !== terminal.model) {
    expect(await verdict.getAttribute('data-status')).toBe('error');
    expect(await verdict.locator('.compat-issue[data-kind="wrong-model"]').textContent()).toContain(E.IMAGE_WRONG_MODEL.code);
    expect(await dialog.getByRole('button', { name: t.flash.start }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: t.flash.cancel }).click();
    await dialog.waitFor({ state: 'hidden' });
    return;
  }
  expect(await verdict.getAttribute('data-status')).toBe('compatible');
  await dialog.getByRole('button', { name: t.flash.start }).click();
  await dialog.waitFor({ state: 'hidden' });
  if (!options.expectWrite) return;

  // While the image is written the job shows a progress bar with bytes, speed and time left.
  const progress = app.page.getByTestId('write-progress');
  const bar = progress.getByRole('progressbar');
  await bar.waitFor({ timeout: JOB_TIMEOUT_MS });
  expect(await bar.getAttribute('aria-valuetext')).toMatch(/ of 3\.0 MiB$/);
  expect(await progress.textContent()).toMatch(/\/s/);
  // Show some bytes moved (the first update reports none yet), unless the write already ended.
  for (let polls = 0; polls < 100; polls++) {
    const percent = await bar.getAttribute('aria-valuenow', { timeout: 1000 }).catch(() => null);
    if (percent === null || Number(percent) >= 25) break;
    await app.page.waitForTimeout(50);
  }
  if (options.writingScreenshot) await app.shot(options.writingScreenshot);
}

describe('flashing simulated terminals from the console page', () => {
  it('shows every terminal with its model, slots and active slot', async () => {
    for (const [terminal, spec] of [
      [app.bench.terminals[0]!, GOOD],
      [app.bench.terminals[1]!, BOOT_FAIL],
    ] as const) {
      const r = row(terminal.address);
      await r.waitFor();
      expect(await r.locator('.model').textContent()).toBe(spec.model);
      expect(await r.locator('.serial').textContent()).toBe(spec.serial);
      expect(await r.locator('td[data-slot="a"] .slot-version').textContent()).toBe(spec.version);
      expect(await r.locator('td[data-slot="a"] .tag-active').count()).toBe(1);
    }
  });

  it('opens and closes the flash dialog from the keyboard, giving focus back to the terminal', async () => {
    const flashButton = row(app.bench.terminals[0]!.address).getByRole('button', { name: t.terminals.flashLabel(`${GOOD.model} ${GOOD.serial}`) });
    await flashButton.focus();
    await app.page.keyboard.press('Enter');
    const dialog = app.page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByLabel(t.flash.fileLabel).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(await dialog.getByRole('button', { name: t.flash.start }).isDisabled()).toBe(true);
    await app.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await flashButton.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
  });

  it('flashes a terminal to success: every stage done, new version active in the other slot', async () => {
    const address = app.bench.terminals[0]!.address;
    const image = await app.bench.writeImage({ model: GOOD.model, hwRevision: GOOD.hwRevision, version: '1.3.0', payloadBytes: PAYLOAD_BYTES });
    await flash(address, GOOD, image, { model: GOOD.model, version: '1.3.0' }, { expectWrite: true, dialogScreenshot: 'flash-dialog.png', writingScreenshot: 'flash-writing.png' });

    await app.page.getByTestId('job-status').filter({ hasText: t.jobState.success }).waitFor({ timeout: JOB_TIMEOUT_MS });
    const stages = await stageStatuses();
    for (const name of ['detect', 'verify', 'install', 'write', 'readback', 'activate', 'reboot', 'confirm', 'report']) {
      expect(stages[name], `stage ${name}`).toBe('done');
    }
    expect(await app.page.getByTestId('job-outcome').locator('.outcome-line').textContent()).toBe(t.job.resultSuccess('1.3.0', 'b', GOOD.version));
    expect(await app.page.getByTestId('error-panel').count()).toBe(0);

    const r = row(address);
    await r.locator('td[data-slot="b"] .tag-active').waitFor();
    expect(await r.locator('td[data-slot="b"] .slot-version').textContent()).toBe('1.3.0');
    expect(await r.locator('td[data-slot="a"] .slot-version').textContent()).toBe(GOOD.version);
    expect(await app.page.locator('.job-log .log li').count()).toBeGreaterThan(0);

    await app.shot('flash-success.png');
  });

  it('rolls a terminal whose new image never boots back to its old slot, with code, cause and remedy on screen', async () => {
    const address = app.bench.terminals[1]!.address;
    const image = await app.bench.writeImage({ model: BOOT_FAIL.model, hwRevision: BOOT_FAIL.hwRevision, version: '1.1.0', payloadBytes: PAYLOAD_BYTES });
    await flash(address, BOOT_FAIL, image, { model: BOOT_FAIL.model, version: '1.1.0' }, { expectWrite: true });

    await app.page.getByTestId('job-status').filter({ hasText: t.jobState['rolled-back'] }).waitFor({ timeout: JOB_TIMEOUT_MS });
    const code = await app.page.getByTestId('error-code').textContent();
    expect(code).toBe(E.BOOT_FAILED_ROLLED_BACK.code);
    expect(await app.page.getByTestId('error-title').textContent()).toBe(E.BOOT_FAILED_ROLLED_BACK.title);
    expect(await app.page.getByTestId('error-cause').textContent()).toBe(E.BOOT_FAILED_ROLLED_BACK.cause);
    expect(await app.page.getByTestId('error-remedy').textContent()).toBe(E.BOOT_FAILED_ROLLED_BACK.remedy);
    expect(await app.page.getByTestId('job-outcome').locator('.outcome-line').textContent()).toBe(t.job.resultRolledBack(BOOT_FAIL.version, 'a'));

    const stages = await stageStatuses();
    expect(stages.write).toBe('done');
    expect(stages.readback).toBe('done');
    expect(stages.activate).toBe('done');
    expect(stages.confirm).toBe('failed');

    const r = row(address);
    await r.locator('td[data-slot="a"] .tag-active').waitFor();
    expect(await r.locator('td[data-slot="a"] .slot-version').textContent()).toBe(BOOT_FAIL.version);

    await app.shot('flash-rolled-back.png');
  });

  it('refuses an image for another model in the dialog, before a job exists or anything is written', async () => {
    const address = app.bench.terminals[0]!.address;
    const jobsBefore = await app.page.locator('.job-item').count();
    const image = await app.bench.writeImage({ model: 'MF920V', hwRevision: 'V1.0', version: '9.9.9', payloadBytes: PAYLOAD_BYTES });
    await flash(address, GOOD, image, { model: 'MF920V', version: '9.9.9' }, { expectWrite: false });

    expect(await app.page.locator('.job-item').count()).toBe(jobsBefore);
    const r = row(address);
    expect(await r.locator('td[data-slot="b"] .tag-active').count()).toBe(1);
    expect(await r.locator('td[data-slot="b"] .slot-version').textContent()).toBe('1.3.0');
  });

  it('adds a terminal by its address, shows why it cannot be reached, and removes it again', async () => {
    const unreachable = 'tcp://127.0.0.1:1';
    await app.page.getByLabel(t.terminals.addressLabel).fill(unreachable);
    await app.page.getByRole('button', { name: t.terminals.add }).click();
    const r = row(unreachable);
    await r.locator('.tag-state-offline').waitFor({ timeout: 20_000 });
    expect(await r.locator('.state-detail code').textContent()).toMatch(/^ZUC-2\d{3}$/);
    expect(await r.getByRole('button', { name: t.terminals.flashLabel(unreachable) }).isDisabled()).toBe(true);
    await r.getByRole('button', { name: t.terminals.moreActionsLabel(unreachable) }).click();
    await r.getByRole('menuitem', { name: t.terminals.removeLabel(unreachable) }).click();
    await r.waitFor({ state: 'detached' });
  });

  it('says so when the connection to the station drops, and picks up again when it is back', async () => {
    const banner = app.page.getByRole('alert').filter({ hasText: t.connection.lost });
    await app.bench.restartStation(async () => {
      await banner.waitFor();
      expect(await app.page.getByRole('button', { name: t.terminals.add }).isDisabled()).toBe(true);
    });
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    expect(await row(app.bench.terminals[1]!.address).locator('td[data-slot="a"] .tag-active').count()).toBe(1);
    expect(await app.page.locator('.job-item').count()).toBe(2);
  });

  it('ran without a script error or a Content-Security-Policy refusal', () => {
    expect(app.problems).toEqual([]);
  });
});
