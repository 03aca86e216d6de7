// Job log lines follow the console's language: with the console in
// Simplified Chinese, the job log of a simulated terminal whose new firmware
// never boots reads in Chinese (state changes, slots, the catalogued error
// title, the job's end, the log levels, no ISO timestamps), the terminal's
// own log lines keep their words, and the log read back from the database
// after a reload is still Chinese.
import { describe, expect, it } from 'vitest';
import { E } from '../electron/shared/errors';
import { t } from '../renderer/i18n/en';
import { errorsZhCN } from '../renderer/i18n/errors-zh-CN';
import { zhCN } from '../renderer/i18n/zh-CN';
import { startBench } from './bench';
import { flashFromDialog } from './flash-dialog';
import { useConsolePage } from './spec-harness';

const JOB_TIMEOUT_MS = 60_000;
const PAYLOAD_BYTES = 128 * 1024;
/** Its bootloader refuses every new slot: a flash is rolled back with BOOT_FAILED_ROLLED_BACK. */
const NO_BOOT = { model: 'MF286D', hwRevision: 'V1.0', serial: 'ZHL286D0001', version: '1.2.0', faults: ['boot-fail'] };
const HAN = /\p{Script=Han}/u;

const app = useConsolePage({
  failedShotPrefix: 'job-log-zh',
  bench: () => startBench([NO_BOOT]),
  async ready() {
    await app.page.locator(`tr[data-address="${app.bench.terminals[0]!.address}"] .model`).waitFor();
  },
});

async function logLines(): Promise<string[]> {
  return app.page.locator('.job-log .log li .log-msg').allTextContents();
}

/** Levels are named in Chinese too; the engine's lines show times as local times, never as ISO timestamps. */
async function expectChineseLevelsAndTimes(lines: readonly string[]) {
  const levels = await app.page.locator('.job-log .log li .log-level').allTextContents();
  expect(levels.length).toBe(lines.length);
  expect(levels.filter((level) => !Object.values(zhCN.logLevel).includes(level))).toEqual([]);
  expect(levels).toContain(zhCN.logLevel.error);
  // The terminal's own lines keep their own timestamps.
  expect(lines.filter((line) => !line.startsWith('设备：') && /\d{4}-\d\d-\d\dT\d\d:\d\d/.test(line))).toEqual([]);
}

/** What a technician reading the Chinese console must find in the log of the rolled-back job. */
function expectChineseLog(lines: readonly string[]) {
  const code = E.BOOT_FAILED_ROLLED_BACK.code;
  const wanted = [
    `${zhCN.jobState.queued} → ${zhCN.jobState.detecting}`,
    `${NO_BOOT.model} 硬件版本 ${NO_BOOT.hwRevision} 序列号 ${NO_BOOT.serial}：从分区 A 运行 ${NO_BOOT.version}（${zhCN.slotState.good}）`,
    `${zhCN.jobState.installing}（${zhCN.job.step.write}） → ${zhCN.jobState.installing}（${zhCN.job.step.readback}）`,
    '分区 B 已标记为活动分区，等待确认',
    `${code} ${errorsZhCN[code]!.title}`,
    `任务结束：${zhCN.jobState['rolled-back']}（${code}）`,
  ];
  for (const text of wanted) expect(lines.some((line) => line.includes(text)), `a log line with “${text}” in:\n${lines.join('\n')}`).toBe(true);
  // Every line the engine wrote is Chinese; the terminal's own lines keep their words behind a Chinese label.
  const english = lines.filter((line) => !HAN.test(line));
  expect(english).toEqual([]);
  expect(lines.some((line) => line.startsWith('设备：'))).toBe(true);
  expect(lines.some((line) => line.includes(' -> ') || line.startsWith('job ended'))).toBe(false);
}

describe('job log in Simplified Chinese', () => {
  it('writes the log of a rolled-back flash in Chinese, live and after a reload from the database', async () => {
    await app.page.getByRole('navigation', { name: t.nav.label }).getByRole('button', { name: t.nav.settings }).click();
    await app.page.getByLabel(t.settings.language).selectOption('zh-CN');
    await app.page.getByRole('navigation', { name: zhCN.nav.label }).getByRole('button', { name: zhCN.nav.terminals }).click();
    await app.page.locator('main[data-screen="terminals"]').waitFor();

    const address = app.bench.terminals[0]!.address;
    const image = await app.bench.writeImage({ model: NO_BOOT.model, hwRevision: NO_BOOT.hwRevision, version: '1.3.0', payloadBytes: PAYLOAD_BYTES });
    await flashFromDialog(app.page, { address, name: `${NO_BOOT.model} ${NO_BOOT.serial}`, image, texts: zhCN });

    await app.page.getByTestId('job-status').filter({ hasText: zhCN.jobState['rolled-back'] }).waitFor({ timeout: JOB_TIMEOUT_MS });
    await app.page.locator('.job-log .log li', { hasText: '任务结束' }).waitFor();
    expectChineseLog(await logLines());
    await expectChineseLevelsAndTimes(await logLines());
    await app.page.locator('.job-log').scrollIntoViewIfNeeded();
    await app.shot('job-log-zh-CN.png');
    await app.page.locator('.job-log ol.log').evaluate((list) => list.scrollTo(0, 0));
    await app.shot('job-log-zh-CN-start.png');

    // A fresh page has only what the engine's database returns for the job.
    await app.page.reload();
    await app.page.getByRole('list', { name: zhCN.jobs.listLabel }).getByRole('button').first().click();
    await app.page.locator('.job-log .log li', { hasText: '任务结束' }).waitFor();
    expectChineseLog(await logLines());
    expect(app.problems).toEqual([]);
  });
});
