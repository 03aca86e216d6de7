import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { E } from '../electron/shared/errors';
import { t } from '../renderer/i18n/en';
import { zhCN } from '../renderer/i18n/zh-CN';
import { startBench } from './bench';
import { flashFromDialog } from './flash-dialog';
import { useConsolePage } from './spec-harness';

const JOB_TIMEOUT_MS = 60_000;
/** An update batch whose only source is down ends within this (a DNS failure or refused connection, no request timeout). */
const UNREACHABLE_SOURCE_BOUND_MS = 15_000;
/** Small: these tests need finished jobs in the history, not a long write. */
const PAYLOAD_BYTES = 256 * 1024;

const GOOD = { model: 'MF286D', hwRevision: 'V1.0', serial: 'SCR286D0001', version: '1.2.0', faults: [] as string[] };
/** Its storage flips a bit while a slot is written: a flash of a good image fails at read-back, the old slot keeps running. */
const OTHER = { model: 'MF971R', hwRevision: 'V1.0', serial: 'SCR971R0002', version: '1.0.7', faults: ['corrupt-write'] };
const TOKEN = 'e2e-secret-hawkbit-token-93f1';

const app = useConsolePage({
  failedShotPrefix: 'screens',
  bench: () => startBench([GOOD, OTHER]),
  async ready() {
    await app.page.locator(`tr[data-address="${app.bench.terminals[1]!.address}"] .model`).waitFor();
    // Two finished jobs for the history: one success, one failed at read-back.
    await flash(0, GOOD, await app.bench.writeImage({ model: GOOD.model, hwRevision: 'V1.0', version: '1.3.0', payloadBytes: PAYLOAD_BYTES }), t.jobState.success);
    await flash(1, OTHER, await app.bench.writeImage({ model: OTHER.model, hwRevision: 'V1.0', version: '1.1.0', payloadBytes: PAYLOAD_BYTES }), t.jobState.failed);
  },
});

async function show(screen: keyof typeof t.nav) {
  await app.page.getByRole('navigation', { name: t.nav.label }).getByRole('button', { name: t.nav[screen as 'terminals'] }).click();
  await app.page.locator(`main[data-screen="${screen}"]`).waitFor();
}

async function flash(index: number, spec: typeof GOOD, image: string, expected: string) {
  await flashFromDialog(app.page, { address: app.bench.terminals[index]!.address, name: `${spec.model} ${spec.serial}`, image });
  await app.page.getByTestId('job-status').filter({ hasText: expected }).waitFor({ timeout: JOB_TIMEOUT_MS });
}

describe('the console’s screens', () => {
  it('moves between screens from the keyboard, marking the current one', async () => {
    const nav = app.page.getByRole('navigation', { name: t.nav.label });
    await nav.getByRole('button', { name: t.nav.terminals }).focus();
    await app.page.keyboard.press('ArrowDown');
    await app.page.locator('main[data-screen="updates"]').waitFor();
    expect(await nav.getByRole('button', { name: t.nav.updates }).getAttribute('aria-current')).toBe('page');
    expect(await nav.getByRole('button', { name: t.nav.terminals }).getAttribute('aria-current')).toBeNull();
    expect(await nav.getByRole('button', { name: t.nav.updates }).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await app.page.keyboard.press('Enter');
    await show('terminals');
    await app.page.getByRole('checkbox', { name: t.updates.selectAll }).check();
    await app.shot('screen-terminals.png');
  });

  it('shows every job of the session with its stages and the failure’s code inline on Updates', async () => {
    await show('updates');
    expect(await app.page.getByTestId('batch-totals').textContent()).toBe(t.updates.batchTotals(2, 2, 1));
    const failed = app.page.locator(`.update-row[data-address="${app.bench.terminals[1]!.address}"]`);
    expect(await failed.getByTestId('error-code').textContent()).toBe(E.READBACK_MISMATCH.code);
    expect(await failed.locator('[data-stage="readback"]').getAttribute('data-status')).toBe('failed');
    await app.shot('screen-updates.png');
  });

  it('filters the history by result, model and code', async () => {
    await show('history');
    const count = app.page.getByTestId('history-count');
    await count.filter({ hasText: t.history.count(2, 2) }).waitFor();
    await app.page.getByLabel(t.history.result).selectOption('failed');
    await count.filter({ hasText: t.history.count(1, 2) }).waitFor();
    expect(await app.page.locator('table.history tbody tr code').textContent()).toBe(E.READBACK_MISMATCH.code);
    await app.page.getByRole('button', { name: t.history.clear }).click();
    await app.page.getByLabel(t.history.model).selectOption(GOOD.model);
    await count.filter({ hasText: t.history.count(1, 2) }).waitFor();
    expect(await app.page.locator('table.history tbody tr td').nth(1).textContent()).toContain(GOOD.serial);
    await app.page.getByRole('button', { name: t.history.clear }).click();
    await app.page.getByLabel(t.history.code).fill(E.READBACK_MISMATCH.code.toLowerCase());
    await count.filter({ hasText: t.history.count(1, 2) }).waitFor();
    await app.page.getByRole('button', { name: t.history.clear }).click();
    await count.filter({ hasText: t.history.count(2, 2) }).waitFor();
    await app.shot('screen-history.png');
  });

  it('looks an error up by its FUMO code in Troubleshoot, with cause, remedy and retryable', async () => {
    await show('troubleshoot');
    const wanted = E.BOOT_FAILED_ROLLED_BACK;
    await app.page.getByLabel(t.troubleshoot.searchLabel).fill('410');
    const entry = app.page.locator(`.error-entry[data-code="${wanted.code}"]`);
    await entry.waitFor();
    expect(await entry.getByTestId('entry-cause').textContent()).toBe(wanted.cause);
    expect(await entry.getByTestId('entry-remedy').textContent()).toBe(wanted.remedy);
    expect(await entry.textContent()).toContain(wanted.retryable ? t.troubleshoot.retryable : t.troubleshoot.notRetryable);
    // Only entries reported as FUMO 410 (or TR-069 410) are listed.
    for (const text of await app.page.locator('.error-entry .error-entry-head .mono').allTextContents()) expect(text).toMatch(/\b410\b/);
    await app.page.getByLabel(t.troubleshoot.searchLabel).fill(wanted.code);
    await entry.waitFor();
    expect(await app.page.locator('.error-entry').count()).toBe(1);

    // The log viewer: the lowest level shown filters lines.
    const lines = app.page.locator('.log-tall li');
    await lines.first().waitFor();
    const all = await lines.count();
    await app.page.getByLabel(t.troubleshoot.logLevel).selectOption('error');
    const errorsOnly = await lines.count();
    expect(errorsOnly).toBeLessThan(all);
    for (const level of await app.page.locator('.log-tall .log-level').allTextContents()) expect(level).toBe('error');
    await app.page.getByLabel(t.troubleshoot.searchLabel).fill('410');
    await app.shot('screen-troubleshoot.png');
  });

  it('saves settings with a hawkBit token that is never shown back, and names a refused field', async () => {
    await show('settings');
    await app.page.getByRole('button', { name: t.settings.addSource(t.settings.kinds.hawkbit) }).click();
    const source = app.page.locator('fieldset.source[data-kind="hawkbit"]');
    await source.getByLabel(t.settings.url).fill('https://hawkbit.example.test');
    await source.getByLabel(t.settings.token, { exact: true }).fill(TOKEN);
    await app.page.getByRole('button', { name: t.settings.save }).click();
    await app.page.getByRole('status').filter({ hasText: t.settings.saved }).waitFor();
    expect(await source.getByTestId('token-state').textContent()).toContain(t.settings.tokenStored);
    expect(await source.getByLabel(t.settings.token, { exact: true }).inputValue()).toBe('');
    expect(await app.page.content()).not.toContain(TOKEN);

    await app.page.getByLabel(t.settings.concurrency).fill('500');
    await app.page.getByRole('button', { name: t.settings.save }).click();
    const alert = app.page.locator('.settings-form > .inline-error');
    await alert.waitFor();
    expect(await alert.locator('code').textContent()).toBe(E.SETTING_REFUSED.code);
    const concurrencyField = app.page.locator('.field', { has: app.page.getByLabel(t.settings.concurrency) });
    await concurrencyField.getByTestId('field-error').waitFor();
    expect(await app.page.getByLabel(t.settings.concurrency).getAttribute('aria-invalid')).toBe('true');
    await app.shot('screen-settings.png');
    await app.page.getByLabel(t.settings.concurrency).fill('4');
    await app.page.getByRole('button', { name: t.settings.save }).click();
    await alert.waitFor({ state: 'detached' });
  });

  it('switches to Simplified Chinese at once and back to English, keeping the choice in the settings', async () => {
    await show('settings');
    await app.page.getByLabel(t.settings.language).selectOption('zh-CN');
    const nav = app.page.getByRole('navigation', { name: zhCN.nav.label });
    await nav.getByRole('button', { name: zhCN.nav.history }).waitFor();
    expect(await app.page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await app.shot('screen-settings-zh-CN.png');
    await nav.getByRole('button', { name: zhCN.nav.terminals }).click();
    await app.page.getByRole('heading', { name: zhCN.terminals.heading, level: 2 }).waitFor();
    await app.shot('screen-terminals-zh-CN.png');

    // Kept by the engine: a fresh page opens in Chinese.
    await app.page.reload();
    await app.page.getByRole('navigation', { name: zhCN.nav.label }).getByRole('button', { name: zhCN.nav.settings }).click();
    await app.page.getByLabel(zhCN.settings.language).selectOption('en');
    await app.page.getByRole('navigation', { name: t.nav.label }).getByRole('button', { name: t.nav.history }).waitFor();
    expect(await app.page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('follows the system’s light or dark theme', async () => {
    await show('terminals');
    const background = () => app.page.locator('.panel').first().evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor);
    await app.page.emulateMedia({ colorScheme: 'light' });
    expect(await background()).toBe('rgb(255, 255, 255)');
    await app.page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).not.toBe('rgb(255, 255, 255)');
    await app.shot('screen-terminals-dark.png');
    await show('troubleshoot');
    await app.shot('screen-troubleshoot-dark.png');
    await app.page.emulateMedia({ colorScheme: 'light' });
  });

  it('exports the history as CSV and a job as a support bundle without the hawkBit token', async () => {
    await show('history');
    const [csvDownload] = await Promise.all([app.page.waitForEvent('download'), app.page.getByRole('button', { name: t.history.exportCsv }).click()]);
    const csv = await readFile((await csvDownload.path())!, 'utf8');
    expect(csv).toContain(GOOD.serial);
    expect(csv).toContain(E.READBACK_MISMATCH.code);

    await show('troubleshoot');
    const [bundleDownload] = await Promise.all([app.page.waitForEvent('download'), app.page.getByRole('button', { name: t.troubleshoot.bundle }).click()]);
    expect(bundleDownload.suggestedFilename()).toMatch(/\.tar\.gz$/);
    const tar = gunzipSync(await readFile((await bundleDownload.path())!)).toString('latin1');
    expect(tar).toContain(OTHER.serial);
    expect(tar).not.toContain(TOKEN);
    // The code that ended the job is counted against the terminal it hit.
    await app.page.getByLabel(t.troubleshoot.searchLabel).fill(E.READBACK_MISMATCH.code);
    expect(await app.page.getByTestId('entry-occurred').textContent()).toBe(t.troubleshoot.occurred(1, OTHER.serial));
  });

  it('rolls a terminal back to its other slot from the Terminals screen after saying what will happen', async () => {
    await show('terminals');
    const r = app.page.locator(`tr[data-address="${app.bench.terminals[0]!.address}"]`);
    await r.locator('td[data-slot="b"] .tag-active').waitFor();
    // Roll back sits in the row's "More" menu, next to Flash and Open log.
    await r.getByRole('button', { name: t.terminals.moreActionsLabel(`${GOOD.model} ${GOOD.serial}`) }).click();
    await r.getByRole('menuitem', { name: t.terminals.rollbackLabel(`${GOOD.model} ${GOOD.serial}`) }).click();
    const dialog = app.page.getByRole('dialog');
    expect(await dialog.textContent()).toContain(t.terminals.rollbackWhat(GOOD.version, 'a', '1.3.0'));
    await app.shot('screen-rollback-confirm.png');
    await dialog.getByRole('button', { name: t.terminals.confirm }).click();
    await dialog.waitFor({ state: 'hidden' });
    await r.locator('td[data-slot="a"] .tag-active').waitFor({ timeout: JOB_TIMEOUT_MS });
    expect(await r.locator('td[data-slot="b"] .slot-version').textContent()).toBe('1.3.0');
  });

  it('checks the ticked terminals for updates and queues an update batch, counted on Updates and in the window title', async () => {
    // The only source is the hawkBit server saved above, whose name does not resolve: every
    // terminal's update ends at once with the retryable unreachable-server code, nothing written.
    await show('terminals');
    for (const terminal of app.bench.terminals) await app.page.locator(`tr[data-address="${terminal.address}"]`).locator('.tag-state-ready').waitFor({ timeout: JOB_TIMEOUT_MS });
    await app.page.getByRole('checkbox', { name: t.updates.selectAll }).check();
    await app.page.getByRole('button', { name: t.updates.check }).click();
    await app.page.getByRole('button', { name: t.updates.check, disabled: false }).waitFor();
    await app.shot('screen-terminals-checked.png');
    const started = Date.now();
    await app.page.getByRole('button', { name: t.updates.update, exact: true }).click();
    await app.page.locator('main[data-screen="updates"]').waitFor();
    await app.page.getByTestId('batch-finished').waitFor({ timeout: UNREACHABLE_SOURCE_BOUND_MS });
    expect(Date.now() - started).toBeLessThan(UNREACHABLE_SOURCE_BOUND_MS);
    expect(await app.page.getByTestId('batch-totals').textContent()).toBe(t.updates.batchTotals(2, 2, 2));
    expect(await app.page.getByTestId('batch-finished').textContent()).toContain(t.updates.batchFinished(2, 2));
    expect(await app.page.locator('.update-row').count()).toBe(2);
    for (const terminal of app.bench.terminals) {
      const row = app.page.locator(`.update-row[data-address="${terminal.address}"]`);
      expect(await row.getByTestId('error-code').textContent()).toBe(E.BACKEND_UNREACHABLE.code);
    }
    expect(E.BACKEND_UNREACHABLE.retryable).toBe(true);
    await app.shot('screen-updates-batch.png');
  });

  it('ran without a script error or a Content-Security-Policy refusal', () => {
    expect(app.problems).toEqual([]);
  });
});
