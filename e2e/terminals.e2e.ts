import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { t } from '../renderer/i18n/en';
import type { Messages } from '../renderer/i18n/messages';
import { zhCN } from '../renderer/i18n/zh-CN';
import { startBench } from './bench';
import { flashFromDialog } from './flash-dialog';
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
  await flashFromDialog(app.page, { address, name: nameOf(spec), image });
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

  it('opens the Troubleshoot screen with only that terminal’s log, its filter shown and removable', async () => {
    await flash(usbAddress(), ON_USB, '3.2.0');
    await flash(tcpAddress(), ON_TCP, '1.3.0');
    await flash(usbAddress(), ON_USB, '3.3.0');
    const openLog = row(usbAddress()).getByRole('button', { name: t.terminals.openLogLabel(nameOf(ON_USB)) });
    expect(await openLog.getAttribute('aria-disabled')).toBeNull();
    await openLog.click();

    expect(await app.page.locator('#screen-heading').textContent()).toBe(t.troubleshoot.heading);
    expect(await app.page.locator('#nav-troubleshoot').getAttribute('aria-current')).toBe('page');
    const section = app.page.locator('.troubleshoot-log');
    const chip = section.locator('.chip[data-filter="terminal"]');
    expect(await chip.locator('.chip-text').textContent()).toBe(t.troubleshoot.terminalFilter(nameOf(ON_USB)));
    const jobSelect = section.getByLabel(t.troubleshoot.logJob);
    expect(await jobSelect.locator('option:checked').textContent()).toBe(t.troubleshoot.allJobs(2));
    // Both jobs of the USB terminal, newest first; nothing of the TCP terminal's job.
    const heads = section.locator('.log-job-head');
    await app.page.waitForFunction("document.querySelectorAll('.troubleshoot-log .log-job').length === 2");
    const headTexts = await heads.allTextContents();
    expect(headTexts[0]).toContain(`${ON_USB.model}-3.3.0.bin`);
    expect(headTexts[1]).toContain(`${ON_USB.model}-3.2.0.bin`);
    expect(headTexts.join('\n')).not.toContain(ON_TCP.model);
    const lines = section.locator('.log li');
    // The terminal's own lines (what its agent reported while being written) are in its log.
    await lines.filter({ hasText: /device: .*write of slot b complete/ }).first().waitFor();
    await lines.filter({ hasText: /device: .*write of slot a complete/ }).first().waitFor();
    expect(await lines.filter({ hasText: tcpAddress() }).count()).toBe(0);
    expect(await lines.filter({ hasText: ON_TCP.serial }).count()).toBe(0);
    await app.page.waitForFunction("document.activeElement?.matches('.troubleshoot-log .log') ?? false");
    const box = await section.locator('.log').boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y).toBeLessThan(app.page.viewportSize()!.height);
    await app.shot('terminal-log.png');

    // The level filter still narrows the terminal's log.
    const all = await lines.count();
    await section.getByLabel(t.troubleshoot.logLevel).selectOption('warn');
    await app.page.waitForFunction(`document.querySelectorAll('.troubleshoot-log .log li').length < ${all}`);
    for (const level of await section.locator('.log .log-level').allTextContents()) expect([t.logLevel.warn, t.logLevel.error]).toContain(level);
    await section.getByLabel(t.troubleshoot.logLevel).selectOption('debug');
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.shot('terminal-log-dark.png');
    await app.page.emulateMedia({ colorScheme: 'light' });

    // Removing the filter offers every job again, the newest of any terminal first.
    await chip.getByRole('button', { name: t.troubleshoot.clearTerminalFilter(nameOf(ON_USB)) }).click();
    await chip.waitFor({ state: 'detached' });
    expect(await jobSelect.locator('option').count()).toBe(3);
    expect(await jobSelect.locator('option:checked').textContent()).toContain(`${ON_USB.model}-3.3.0.bin`);
    await section.locator('ol.log-tall li').first().waitFor();
    expect(await section.locator('.log-job').count()).toBe(0);
  });

  it('opens a terminal’s log in Troubleshoot on a Chinese console, its filter and levels named in Chinese', async () => {
    const nav = (m: Messages) => app.page.getByRole('navigation', { name: m.nav.label });
    await nav(t).getByRole('button', { name: t.nav.settings }).click();
    await app.page.getByLabel(t.settings.language).selectOption('zh-CN');
    await nav(zhCN).getByRole('button', { name: zhCN.nav.terminals }).click();
    await row(usbAddress()).getByRole('button', { name: zhCN.terminals.openLogLabel(nameOf(ON_USB)) }).click();
    const section = app.page.locator('.troubleshoot-log');
    expect(await section.locator('.chip-text').textContent()).toBe(zhCN.troubleshoot.terminalFilter(nameOf(ON_USB)));
    expect(await section.getByLabel(zhCN.troubleshoot.logJob).locator('option:checked').textContent()).toBe(zhCN.troubleshoot.allJobs(2));
    await app.page.waitForFunction("document.querySelectorAll('.troubleshoot-log .log-job').length === 2");
    expect(await section.locator('.log-job-head').first().textContent()).toContain(zhCN.jobState.success);
    await section.getByLabel(zhCN.troubleshoot.logLevel).selectOption('info');
    for (const level of await section.locator('.log .log-level').allTextContents()) expect([zhCN.logLevel.info, zhCN.logLevel.warn, zhCN.logLevel.error]).toContain(level);
    await section.getByRole('button', { name: zhCN.troubleshoot.clearTerminalFilter(nameOf(ON_USB)) }).waitFor();
    await app.shot('terminal-log-zh-CN.png');
    await nav(zhCN).getByRole('button', { name: zhCN.nav.settings }).click();
    await app.page.getByLabel(zhCN.settings.language).selectOption('en');
    await nav(t).waitFor();
  });

  it('reads well in both themes', async () => {
    await app.page.locator('#nav-terminals').click();
    await app.page.evaluate('window.scrollTo(0, 0)');
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.shot('screen-terminals-dark.png');
    await app.page.emulateMedia({ colorScheme: 'light' });
    await app.page.getByRole('checkbox', { name: t.updates.selectAll }).check();
    await app.shot('screen-terminals.png');
    expect(app.problems).toEqual([]);
  });
});
