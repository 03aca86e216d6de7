// Error texts follow the console's language: after switching to Simplified
// Chinese in Settings, a failed job's error panel and the Troubleshoot error
// explorer show the catalogued cause and remedy in Chinese (codes unchanged),
// and the explorer finds entries by Chinese words as well as English ones.
import { describe, expect, it } from 'vitest';
import { E } from '../electron/shared/errors';
import { t } from '../renderer/i18n/en';
import { errorsZhCN } from '../renderer/i18n/errors-zh-CN';
import type { Messages } from '../renderer/i18n/messages';
import { zhCN } from '../renderer/i18n/zh-CN';
import { startBench } from './bench';
import { flashFromDialog } from './flash-dialog';
import { useConsolePage } from './spec-harness';

const JOB_TIMEOUT_MS = 60_000;
/** Small: the job only has to fail at read-back. */
const PAYLOAD_BYTES = 128 * 1024;
/** Its storage flips a bit while a slot is written: a flash fails at read-back with READBACK_MISMATCH. */
const FAULTY = { model: 'MF286D', hwRevision: 'V1.0', serial: 'ZHE286D0001', version: '1.2.0', faults: ['corrupt-write'] };

const app = useConsolePage({
  failedShotPrefix: 'error-text-zh',
  bench: () => startBench([FAULTY]),
  async ready() {
    await app.page.locator(`tr[data-address="${app.bench.terminals[0]!.address}"] .model`).waitFor();
  },
});

function zh(code: string) {
  const texts = errorsZhCN[code];
  if (!texts) throw new Error(`no Chinese texts for ${code}`);
  return texts;
}

async function show(m: Messages, screen: 'terminals' | 'updates' | 'troubleshoot' | 'settings') {
  await app.page.getByRole('navigation', { name: m.nav.label }).getByRole('button', { name: m.nav[screen] }).click();
  await app.page.locator(`main[data-screen="${screen}"]`).waitFor();
}

describe('error texts in Simplified Chinese', () => {
  it('shows a failed job’s cause and remedy in Chinese once the language is switched in Settings', async () => {
    await show(t, 'settings');
    await app.page.getByLabel(t.settings.language).selectOption('zh-CN');
    await app.page.getByRole('navigation', { name: zhCN.nav.label }).waitFor();

    await show(zhCN, 'terminals');
    const image = await app.bench.writeImage({ model: FAULTY.model, hwRevision: FAULTY.hwRevision, version: '1.3.0', payloadBytes: PAYLOAD_BYTES });
    await flashFromDialog(app.page, { address: app.bench.terminals[0]!.address, name: `${FAULTY.model} ${FAULTY.serial}`, image, texts: zhCN });

    const panel = app.page.getByTestId('error-panel').filter({ has: app.page.getByTestId('error-code').filter({ hasText: E.READBACK_MISMATCH.code }) }).first();
    await panel.waitFor({ timeout: JOB_TIMEOUT_MS });
    const wanted = zh(E.READBACK_MISMATCH.code);
    expect(await panel.getByTestId('error-title').textContent()).toBe(wanted.title);
    expect(await panel.getByTestId('error-cause').textContent()).toBe(wanted.cause);
    expect(await panel.getByTestId('error-remedy').textContent()).toBe(wanted.remedy);
    expect(await panel.textContent()).not.toContain(E.READBACK_MISMATCH.cause);
    await app.shot('error-panel-zh-CN.png');
  });

  it('looks a code up in Troubleshoot with its Chinese cause and remedy, and finds entries by Chinese and by English words', async () => {
    await show(zhCN, 'troubleshoot');
    const search = app.page.getByLabel(zhCN.troubleshoot.searchLabel);
    const wanted = E.BOOT_FAILED_ROLLED_BACK;
    await search.fill(wanted.code);
    const entry = app.page.locator(`.error-entry[data-code="${wanted.code}"]`);
    await entry.waitFor();
    expect(await app.page.locator('.error-entry').count()).toBe(1);
    expect(await entry.locator('.error-entry-head strong').textContent()).toBe(zh(wanted.code).title);
    expect(await entry.getByTestId('entry-cause').textContent()).toBe(zh(wanted.code).cause);
    expect(await entry.getByTestId('entry-remedy').textContent()).toBe(zh(wanted.code).remedy);

    // Words a technician reads on the Chinese screen, then the English words of the same entry.
    const port = app.page.locator(`.error-entry[data-code="${E.PORT_OPEN_FAILED.code}"]`);
    await search.fill('串口 权限');
    await port.waitFor();
    expect(await port.getByTestId('entry-remedy').textContent()).toBe(zh(E.PORT_OPEN_FAILED.code).remedy);
    await search.fill('dialout group');
    await port.waitFor();

    await search.fill('引导程序');
    await entry.waitFor();
    await app.shot('troubleshoot-zh-CN.png');

    // Back in English the same entry reads as the engine wrote it, and Chinese words find nothing.
    await show(zhCN, 'settings');
    await app.page.getByLabel(zhCN.settings.language).selectOption('en');
    await show(t, 'troubleshoot');
    await app.page.getByLabel(t.troubleshoot.searchLabel).fill(wanted.code);
    await entry.waitFor();
    expect(await entry.getByTestId('entry-cause').textContent()).toBe(wanted.cause);
    await app.page.getByLabel(t.troubleshoot.searchLabel).fill('串口');
    await app.page.getByRole('status').filter({ hasText: t.troubleshoot.noMatch }).waitFor();
    expect(app.problems).toEqual([]);
  });
});
