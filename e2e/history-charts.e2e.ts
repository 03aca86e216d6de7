import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../renderer/i18n/en';
import { zhCN } from '../renderer/i18n/zh-CN';
import { openConsolePage } from './browser';
import { startBench, type Bench } from './bench';
import { seedHistory, type SeededHistory } from './history-fixture';
import { flashFromDialog } from './flash-dialog';
import { saveScreenshot, useConsolePage } from './spec-harness';

const JOB_TIMEOUT_MS = 60_000;
const PAYLOAD_BYTES = 256 * 1024;
const SEEDED_DAYS = 13;

const GOOD = { model: 'MF286D', hwRevision: 'V1.0', serial: 'SCH286D0001', version: '1.2.0', faults: [] as string[] };
const ROLLS_BACK = { model: 'MF286D', hwRevision: 'V1.0', serial: 'SCH286D0002', version: '1.2.0', faults: ['boot-fail'] };

let seeded: SeededHistory;

const app = useConsolePage({
  failedShotPrefix: 'history',
  // The window as the user sees it: the charts and the first rows of the (long) table.
  fullPage: false,
  bench: () =>
    startBench([GOOD, ROLLS_BACK], {
      prepareDataDir: async (dataDir) => {
        seeded = seedHistory(dataDir, SEEDED_DAYS);
      },
    }),
  async ready() {
    await app.page.locator(`tr[data-address="${app.bench.terminals[1]!.address}"] .model`).waitFor();
    // Today's jobs on top of two weeks of history: one update that succeeds, one whose new firmware never boots.
    await flash(0, GOOD, t.jobState.success);
    await flash(1, ROLLS_BACK, t.jobState['rolled-back']);
  },
});

async function show(screen: 'terminals' | 'history') {
  await app.page.getByRole('navigation', { name: t.nav.label }).getByRole('button', { name: t.nav[screen] }).click();
  await app.page.locator(`main[data-screen="${screen}"]`).waitFor();
}

async function flash(index: number, spec: typeof GOOD, expected: string) {
  const image = await app.bench.writeImage({ model: spec.model, hwRevision: spec.hwRevision, version: '1.3.0', payloadBytes: PAYLOAD_BYTES });
  await flashFromDialog(app.page, { address: app.bench.terminals[index]!.address, name: `${spec.model} ${spec.serial}`, image, readyWhen: 'compatible' });
  await app.page.getByTestId('job-status').filter({ hasText: expected }).waitFor({ timeout: JOB_TIMEOUT_MS });
}

const summary = (chart: 'success' | 'stages') => app.page.getByTestId(`chart-${chart}-summary`);

describe('History charts', () => {
  it('charts jobs, success rate and stage times per day over the whole history, with a summary a screen reader reads', async () => {
    await show('history');
    const total = seeded.jobs + 2;
    await app.page.getByTestId('history-count').filter({ hasText: t.history.count(total, total) }).waitFor();
    const charts = app.page.getByTestId('history-charts');
    expect(await charts.getAttribute('data-bucket')).toBe('day');
    expect(await summary('success').textContent()).toContain(`${total} jobs in ${SEEDED_DAYS + 1} periods (${t.history.charts.perDay})`);
    expect(await summary('stages').textContent()).toContain(`Slowest stage: ${t.job.stage.install}`);
    // Drawn: one stacked bar per result and period, and the success-rate line.
    expect(await app.page.getByTestId('chart-success').locator('.series-succeeded .recharts-rectangle').count()).toBe(SEEDED_DAYS + 1);
    expect(await app.page.getByTestId('chart-success').locator('.series-successRate .recharts-line-curve').count()).toBe(1);
    expect(await app.page.getByTestId('chart-stages').locator('.series-install .recharts-rectangle').count()).toBe(SEEDED_DAYS + 1);
    // The figure is named by its heading and described by its summary.
    const figure = app.page.getByRole('figure', { name: t.history.charts.successHeading });
    expect(await figure.getAttribute('aria-describedby')).toBeTruthy();
    await app.page.getByTestId('chart-success').locator('.recharts-rectangle').last().hover();
    await app.page.locator('.chart-tooltip').first().waitFor();
    await app.shot('history.png');
  });

  it('follows the filters: one model narrows the charts, one day is drawn per hour', async () => {
    await app.page.getByLabel(t.history.model).selectOption('MC801A');
    const count = seeded.byModel.MC801A!;
    await summary('success').filter({ hasText: `${count} jobs in` }).waitFor();
    await app.page.getByRole('button', { name: t.history.clear }).click();

    const today = await app.page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await app.page.getByLabel(t.history.from, { exact: true }).fill(today);
    await app.page.getByLabel(t.history.to, { exact: true }).fill(today);
    await app.page.locator('[data-testid="history-charts"][data-bucket="hour"]').waitFor();
    expect(await summary('success').textContent()).toContain(`2 jobs in 1 period (${t.history.charts.perHour}), 50 % succeeded`);

    // The same numbers as a table, for screen readers and copying.
    await app.page.getByText(t.history.charts.showTable).click();
    const rows = app.page.locator('table.chart-table tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('td').first().textContent()).toBe('2');
    await app.shot('history-today.png');
    await app.page.getByRole('button', { name: t.history.clear }).click();
  });

  it('reads in the dark theme and in Simplified Chinese', async () => {
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.page.locator('[data-testid="history-charts"][data-bucket="day"]').waitFor();
    await app.shot('history-dark.png');
    await app.page.emulateMedia({ colorScheme: 'light' });

    await app.page.getByRole('navigation', { name: t.nav.label }).getByRole('button', { name: t.nav.settings }).click();
    await app.page.getByLabel(t.settings.language).selectOption('zh-CN');
    await app.page.getByRole('navigation', { name: zhCN.nav.label }).getByRole('button', { name: zhCN.nav.history }).click();
    await app.page.getByRole('figure', { name: zhCN.history.charts.successHeading }).waitFor();
    expect(await app.page.getByTestId('history-charts').textContent()).toContain(zhCN.history.charts.stagesHeading);
    await app.shot('history-zh-CN.png');
    await app.page.getByRole('navigation', { name: zhCN.nav.label }).getByRole('button', { name: zhCN.nav.settings }).click();
    await app.page.getByLabel(zhCN.settings.language).selectOption('en');
    await app.page.getByRole('navigation', { name: t.nav.label }).waitFor();
  });

  it('ran without a script error or a Content-Security-Policy refusal', () => {
    expect(app.problems).toEqual([]);
  });
});

describe('History charts over a history longer than the page reads', () => {
  /** Half a year of a busy bench: more jobs than the History table loads (2,000). */
  const LONG_DAYS = 183;
  let long: SeededHistory;
  let longBench: Bench;
  let longPage: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    longBench = await startBench([], {
      prepareDataDir: async (dataDir) => {
        long = seedHistory(dataDir, LONG_DAYS, { minPerDay: 12 });
      },
    });
    longPage = await openConsolePage(app.browser, longBench.station.url, problems);
  });

  afterAll(async () => {
    await longPage?.close();
    await longBench?.close();
  });

  it('charts the engine’s whole history, says the table holds only the newest jobs, and follows the filters', async () => {
    expect(long.jobs).toBeGreaterThan(2_000);
    await longPage.getByRole('navigation', { name: t.nav.label }).getByRole('button', { name: t.nav.history }).click();
    const charts = longPage.getByTestId('history-charts');
    await charts.waitFor();
    expect(await charts.textContent()).toContain(t.history.charts.partial(2_000));
    // Half a year reads per week: 183 days touch 27 or 28 weeks, whatever the weekday today.
    await longPage.getByTestId('chart-success-summary').filter({ hasText: `${long.jobs} jobs in` }).waitFor();
    expect(await charts.getAttribute('data-bucket')).toBe('week');
    expect(await longPage.getByTestId('chart-success-summary').textContent()).toContain(`(${t.history.charts.perWeek})`);
    const weeks = await longPage.getByTestId('chart-success').locator('.series-succeeded .recharts-rectangle').count();
    expect(weeks).toBeGreaterThanOrEqual(27);
    expect(weeks).toBeLessThanOrEqual(28);
    await longPage.getByLabel(t.history.model).selectOption('MU5001');
    await longPage.getByTestId('chart-success-summary').filter({ hasText: `${long.byModel.MU5001} jobs in` }).waitFor();
    await saveScreenshot(longPage, 'history-long.png', { fullPage: false });
    expect(problems).toEqual([]);
  });
});
