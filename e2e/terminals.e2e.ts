import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { t } from '../renderer/i18n/en';
import { startBench } from './bench';
import { useConsolePage } from './spec-harness';

const JOB_TIMEOUT_MS = 60_000;
/** Small: the test needs finished jobs with logs, not a long write. */
const PAYLOAD_BYTES = 256 * 1024;

const ON_TCP = { model: 'MF286D', hwRevision: 'V1.0', serial: 'TRM286D0001', version: '1.2.0', faults: [] as string[] };
const ON_USB = { model: 'MC801A', hwRevision: 'V1.1', serial: 'TRM801A0002', version: '3.1.0', faults: [] as string[], usb: true };
const nameOf = (spec: typeof ON_TCP) => `${spec.model} ${spec.serial}`;

const app = useConsolePage({
  failedShotPrefix: 'terminals',
  bench: () => startBench([ON_TCP, ON_USB]),
  async ready() {
    for (const terminal of app.bench.terminals) await row(terminal.address).locator('.tag-state-ready').waitFor({ timeout: JOB_TIMEOUT_MS });
  },
});

const tcpAddress = () => app.bench.terminals[0]!.address;
const usbAddress = () => app.bench.terminals[1]!.address;
const row = (address: string) => app.page.locator(`tr[data-address="${address}"]`);
const isFocused = (locator: Locator) => locator.evaluate((el) => el === el.ownerDocument.activeElement);

async function flash(address: string, spec: typeof ON_TCP, version: string) {
  const image = await app.bench.writeImage({ model: spec.model, hwRevision: spec.hwRevision, version, payloadBytes: PAYLOAD_BYTES });
  await row(address).getByRole('button', { name: t.terminals.flashLabel(nameOf(spec)) }).click();
  const dialog = app.page.getByRole('dialog');
  await dialog.getByLabel(t.flash.fileLabel).setInputFiles(image);
  await dialog.locator('[data-fact="version"]').waitFor();
  await dialog.getByRole('button', { name: t.flash.start }).click();
  await dialog.waitFor({ state: 'hidden' });
  await app.page.locator(`.job-detail:has(.mono:text-is("${address}"))`).getByTestId('job-status').filter({ hasText: t.jobState.success }).waitFor({ timeout: JOB_TIMEOUT_MS });
}

describe('the Terminals screen on a bench of mixed links', () => {
  it('says how each terminal is connected, and whether it is ready', async () => {
    expect(usbAddress()).toMatch(/^usb:19d2:1405:/);
    const tcp = row(tcpAddress()).locator('td.terminal-connection');
    const usb = row(usbAddress()).locator('td.terminal-connection');
    expect(await tcp.getAttribute('data-transport')).toBe('tcp');
    expect(await tcp.textContent()).toBe(`${t.terminals.transport.tcp}${t.deviceState.ready}${tcpAddress().replace('tcp://', '')}`);
    expect(await usb.getAttribute('data-transport')).toBe('usb');
    expect(await usb.textContent()).toBe(`${t.terminals.transport.usb}${t.deviceState.ready}19d2:1405`);
    expect(await usb.locator('.tag-transport').getAttribute('title')).toBe(t.terminals.transportHint.usb);
  });

  it('keeps each row to Flash, Open log and a More menu, and the menu works from the keyboard', async () => {
    const r = row(tcpAddress());
    // One line per terminal: the action buttons share a top edge.
    const tops = await r.locator('.terminal-actions-row > button').evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
    expect(tops).toHaveLength(3);
    expect(new Set(tops).size).toBe(1);

    const more = r.getByRole('button', { name: t.terminals.moreActionsLabel(nameOf(ON_TCP)) });
    expect(await more.getAttribute('aria-haspopup')).toBe('menu');
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    await more.focus();
    await app.page.keyboard.press('ArrowDown');
    const menu = app.page.getByRole('menu', { name: t.terminals.moreActionsLabel(nameOf(ON_TCP)) });
    await menu.waitFor();
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    const items = menu.getByRole('menuitem');
    expect(await items.evaluateAll((els) => els.map((el) => el.textContent))).toEqual([t.terminals.rollback, t.terminals.reboot, t.terminals.refresh, t.terminals.remove]);
    // Nothing to roll back to yet (slot B is empty): said, not hidden.
    expect(await menu.getByRole('menuitem', { name: t.terminals.rollbackLabel(nameOf(ON_TCP)) }).getAttribute('aria-disabled')).toBe('true');
    expect(await isFocused(items.nth(0))).toBe(true);
    await app.page.keyboard.press('ArrowDown');
    expect(await isFocused(items.nth(1))).toBe(true);
    await app.page.keyboard.press('ArrowUp');
    await app.page.keyboard.press('ArrowUp');
    expect(await isFocused(items.nth(3))).toBe(true);
    await app.shot('screen-terminals-menu.png');
    await app.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    expect(await isFocused(more)).toBe(true);
  });

  it('offers no log before a terminal ran a job, and says why', async () => {
    const openLog = row(usbAddress()).getByRole('button', { name: t.terminals.openLogLabel(nameOf(ON_USB)) });
    expect(await openLog.getAttribute('aria-disabled')).toBe('true');
    expect(await openLog.getAttribute('title')).toBe(t.terminals.openLogNone);
    const describedBy = await openLog.getAttribute('aria-describedby');
    expect(await app.page.locator(`[id="${describedBy}"]`).textContent()).toBe(t.terminals.openLogNone);
  });

  it('opens the log of the newest job on that terminal, not of the newest job overall', async () => {
    await flash(usbAddress(), ON_USB, '3.2.0');
    await flash(tcpAddress(), ON_TCP, '1.3.0');
    // The job detail shows the TCP terminal's job now; Open log on the USB row brings its job and log.
    const openLog = row(usbAddress()).getByRole('button', { name: t.terminals.openLogLabel(nameOf(ON_USB)) });
    expect(await openLog.getAttribute('aria-disabled')).toBeNull();
    await openLog.click();
    const detail = app.page.locator('.job-detail');
    await detail.locator('h2', { hasText: t.job.headingFor(`${ON_USB.model}-3.2.0.bin`) }).waitFor();
    expect(await detail.locator('.muted .mono').first().textContent()).toBe(usbAddress());
    const log = detail.locator('ol.log');
    // The terminal's own lines (what its agent reported while being written) are in the job's log.
    await log.locator('li', { hasText: /device: .*write of slot b complete/ }).waitFor();
    expect(await log.locator('li', { hasText: tcpAddress() }).count()).toBe(0);
    await app.page.waitForFunction("document.activeElement?.matches('.job-detail .job-log ol.log') ?? false");
    // Scrolled to: the log's top is inside the window.
    const box = await log.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y).toBeLessThan(app.page.viewportSize()!.height);
  });

  it('reads well in both themes', async () => {
    await app.page.evaluate('window.scrollTo(0, 0)');
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.shot('screen-terminals-dark.png');
    await app.page.emulateMedia({ colorScheme: 'light' });
    await app.page.getByRole('checkbox', { name: t.updates.selectAll }).check();
    await app.shot('screen-terminals.png');
    expect(app.problems).toEqual([]);
  });
});
