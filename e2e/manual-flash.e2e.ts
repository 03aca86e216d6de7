// Manual flash of one signed package onto several terminals from the
// Terminals screen: the file is dropped, the engine checks it against each
// ticked terminal, the one of another model is refused in the dialog and
// never written, the two others are flashed (one job each).
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { E } from '../electron/shared/errors';
import { generateKeyPair, packFull } from '../electron/engine/package';
import { buildFirmwareImage } from '../native/firmware';
import { t } from '../renderer/i18n/en';
import type { Messages } from '../renderer/i18n/messages';
import { zhCN } from '../renderer/i18n/zh-CN';
import { startBench, writeTrustFolder } from './bench';
import { useConsolePage } from './spec-harness';

const JOB_TIMEOUT_MS = 90_000;
/** Small: two terminals are written one after the other over paced simulated links. */
const PAYLOAD_BYTES = 384 * 1024;

const FIRST = { model: 'MF286D', hwRevision: 'V1.0', serial: 'MAN286D0001', version: '1.2.0', faults: [] as string[] };
const SECOND = { model: 'MF286D', hwRevision: 'V1.0', serial: 'MAN286D0002', version: '1.2.0', faults: [] as string[] };
const OTHER_MODEL = { model: 'MF971R', hwRevision: 'V1.0', serial: 'MAN971R0003', version: '1.0.7', faults: [] as string[] };
const NEW_VERSION = '1.3.0';
const PACKAGE_NAME = `MF286D_${NEW_VERSION}.zup`;

let trustDir: string;
let packageBytes: Uint8Array;

/** A full package for MF286D rev V1.0, signed by a key the console trusts. */
async function signedPackage(): Promise<{ bytes: Uint8Array; trustDir: string }> {
  const key = generateKeyPair();
  const dir = await writeTrustFolder(await mkdtemp(path.join(os.tmpdir(), 'zuc-e2e-trust-')), key);
  const payload = new Uint8Array(randomBytes(PAYLOAD_BYTES));
  const image = buildFirmwareImage({ model: FIRST.model, hwRevision: FIRST.hwRevision, version: NEW_VERSION, payload });
  const manifest = { packageId: 'mf286d-1.3.0', models: [FIRST.model], hwRevisions: [FIRST.hwRevision], version: NEW_VERSION, securityVersion: 2, releaseNotes: 'Bench package for the manual flash test.', createdAt: '2026-11-28T18:00:00.000Z' };
  const { bytes } = packFull({ keys: [key], manifest, images: [{ name: 'firmware', image }] });
  return { bytes, trustDir: dir };
}

const app = useConsolePage({
  failedShotPrefix: 'manual',
  async bench() {
    ({ bytes: packageBytes, trustDir } = await signedPackage());
    return startBench([FIRST, SECOND, OTHER_MODEL], { trustStoreDir: trustDir });
  },
  async close() {
    if (trustDir) await rm(trustDir, { recursive: true, force: true });
  },
});

function row(address: string) {
  return app.page.locator(`tr[data-address="${address}"]`);
}

/** Drops `bytes` as a file named `name` on `selector`, as a file dragged from the desktop would be. */
async function dropFile(selector: string, name: string, bytes: Uint8Array): Promise<void> {
  const dataTransfer = await app.page.evaluateHandle(
    ({ name, base64 }) => {
      const binary = atob(base64);
      const data = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i);
      // Runs in the page; this file is type-checked without the DOM library.
      const dom = globalThis as unknown as { DataTransfer: new () => { items: { add(file: unknown): void } }; File: new (parts: Uint8Array[], name: string, options: { type: string }) => unknown };
      const transfer = new dom.DataTransfer();
      transfer.items.add(new dom.File([data], name, { type: 'application/octet-stream' }));
      return transfer;
    },
    { name, base64: Buffer.from(bytes).toString('base64') },
  );
  await app.page.dispatchEvent(selector, 'dragenter', { dataTransfer });
  await app.page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await app.page.dispatchEvent(selector, 'drop', { dataTransfer });
}

describe('manual flash of several terminals with a dropped package', () => {
  it('refuses the terminal of another model in the dialog, flashes the two others, and never writes the refused one', async () => {
    const [first, second, other] = app.bench.terminals as [(typeof app.bench.terminals)[0], (typeof app.bench.terminals)[0], (typeof app.bench.terminals)[0]];
    for (const terminal of app.bench.terminals) await row(terminal.address).locator('.tag-state-ready').waitFor({ timeout: 20_000 });
    const otherBefore = { ...other.inspect(), a: await other.readSlot('a'), b: await other.readSlot('b') };

    for (const [terminal, spec] of [
      [first, FIRST],
      [second, SECOND],
      [other, OTHER_MODEL],
    ] as const) {
      await row(terminal.address).getByRole('checkbox', { name: t.updates.selectLabel(`${spec.model} ${spec.serial}`) }).check();
    }
    await dropFile('[data-testid="terminals-drop-target"]', PACKAGE_NAME, packageBytes);

    const dialog = app.page.getByRole('dialog', { name: t.flash.heading });
    await dialog.waitFor();
    const verdict = (address: string) => dialog.locator(`.compat-row[data-address="${address}"]`);
    await verdict(other.address).and(app.page.locator('[data-status="error"]')).waitFor({ timeout: 20_000 });
    expect(await dialog.getByTestId('verification').textContent()).toMatch(/^Signature verified: trusted key /);
    expect(await dialog.locator('[data-fact="kind"]').textContent()).toBe(t.flash.kind['full-package']);
    expect(await dialog.locator('[data-fact="version"]').textContent()).toBe(NEW_VERSION);

    for (const terminal of [first, second]) {
      expect(await verdict(terminal.address).getAttribute('data-status')).toBe('compatible');
      expect(await verdict(terminal.address).getByRole('checkbox').isChecked()).toBe(true);
      expect(await verdict(terminal.address).locator('.compat-change').textContent()).toBe(t.flash.fromTo(FIRST.version, NEW_VERSION, 'b'));
    }
    const refused = verdict(other.address);
    expect(await refused.locator('.tag').textContent()).toBe(t.flash.status.error);
    expect(await refused.getByRole('checkbox', { name: t.flash.selectTerminal(`${OTHER_MODEL.model} ${OTHER_MODEL.serial}`) }).isDisabled()).toBe(true);
    expect(await refused.locator('.compat-issue[data-kind="wrong-model"]').textContent()).toBe(`${E.PACKAGE_WRONG_MODEL.code} ${t.flash.issue['wrong-model'](OTHER_MODEL.model, FIRST.model)}`);
    expect(await dialog.locator('.flash-summary').textContent()).toBe(t.flash.summary(2, 3));

    await app.shot('manual-flash.png', { fullPage: false });
    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.shot('manual-flash-dark.png', { fullPage: false });
    await app.page.emulateMedia({ colorScheme: 'light' });

    await dialog.getByRole('button', { name: t.flash.start }).click();
    await dialog.waitFor({ state: 'hidden' });

    const toast = app.page.getByTestId('batch-finished');
    await toast.waitFor({ timeout: JOB_TIMEOUT_MS });
    expect(await toast.textContent()).toContain(t.flash.batchFinished(2, 0));
    for (const terminal of [first, second]) {
      await row(terminal.address).locator('td[data-slot="b"] .tag-active').waitFor({ timeout: JOB_TIMEOUT_MS });
      expect(await row(terminal.address).locator('td[data-slot="b"] .slot-version').textContent()).toBe(NEW_VERSION);
      expect(terminal.inspect()).toMatchObject({ activeSlot: 'b', slots: { b: { version: NEW_VERSION, state: 'good' } } });
    }
    // The refused terminal's slots and received byte count are exactly as before.
    expect({ ...other.inspect(), a: await other.readSlot('a'), b: await other.readSlot('b') }).toEqual(otherBefore);
    expect(other.inspect().payloadBytesReceived).toBe(0);
    expect(await app.page.locator('.job-item').count()).toBe(2);
  });

  it('opens the dialog from the keyboard with the selection, and a file chosen there shows its verdicts', async () => {
    const [first] = app.bench.terminals;
    await app.page.getByRole('checkbox', { name: t.updates.selectAll }).uncheck();
    await row(first!.address).getByRole('checkbox', { name: t.updates.selectLabel(`${FIRST.model} ${FIRST.serial}`) }).check();
    await app.page.getByRole('button', { name: t.flash.flashSelected }).focus();
    await app.page.keyboard.press('Enter');
    const dialog = app.page.getByRole('dialog', { name: t.flash.heading });
    await dialog.waitFor();
    expect(await dialog.getByLabel(t.flash.fileLabel).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await dialog.getByLabel(t.flash.fileLabel).setInputFiles({ name: PACKAGE_NAME, mimeType: 'application/octet-stream', buffer: Buffer.from(packageBytes) });
    // The terminal runs that version now: a warning, not ticked until the technician says so.
    const verdict = dialog.locator(`.compat-row[data-address="${first!.address}"][data-status="warning"]`);
    await verdict.waitFor({ timeout: 20_000 });
    expect(await verdict.locator('.compat-issue').textContent()).toBe(t.flash.issue['same-version'](NEW_VERSION));
    const tick = verdict.getByRole('checkbox');
    expect(await tick.isChecked()).toBe(false);
    expect(await dialog.getByRole('button', { name: t.flash.start }).isDisabled()).toBe(true);
    await tick.focus();
    await app.page.keyboard.press('Space');
    expect(await dialog.getByRole('button', { name: t.flash.start }).isDisabled()).toBe(false);
    await app.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('with nothing selected, a dropped file lists every terminal and ticks none; another file dropped on the dialog replaces it', async () => {
    const [first, second, other] = app.bench.terminals;
    await app.page.getByRole('checkbox', { name: t.updates.selectAll }).check();
    await app.page.getByRole('checkbox', { name: t.updates.selectAll }).uncheck();
    const otherImage = await readFile(await app.bench.writeImage({ model: OTHER_MODEL.model, hwRevision: OTHER_MODEL.hwRevision, version: '1.1.0', payloadBytes: 64 * 1024 }));
    await dropFile('[data-testid="terminals-drop-target"]', 'MF971R_1.1.0.bin', otherImage);
    const dialog = app.page.getByRole('dialog', { name: t.flash.heading });
    const verdict = (address: string) => dialog.locator(`.compat-row[data-address="${address}"]`);
    await verdict(other!.address).and(app.page.locator('[data-status="compatible"]')).waitFor({ timeout: 20_000 });
    expect(await dialog.getByTestId('verification').textContent()).toBe(t.flash.verification.none);
    expect(await verdict(other!.address).getByRole('checkbox').isChecked()).toBe(false);
    for (const terminal of [first!, second!]) expect(await verdict(terminal.address).getAttribute('data-status')).toBe('error');
    expect(await dialog.getByRole('button', { name: t.flash.start }).isDisabled()).toBe(true);

    await dropFile('form.flash-form', PACKAGE_NAME, packageBytes);
    await verdict(other!.address).and(app.page.locator('[data-status="error"]')).waitFor({ timeout: 20_000 });
    expect(await dialog.locator('[data-fact="kind"]').textContent()).toBe(t.flash.kind['full-package']);
    await app.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('says it all in Simplified Chinese too', async () => {
    const [, , other] = app.bench.terminals;
    const nav = (messages: Messages) => app.page.getByRole('navigation', { name: messages.nav.label });
    await nav(t).getByRole('button', { name: t.nav.settings }).click();
    await app.page.getByLabel(t.settings.language).selectOption('zh-CN');
    await nav(zhCN).getByRole('button', { name: zhCN.nav.terminals }).click();
    await row(other!.address).getByRole('button', { name: zhCN.terminals.flashLabel(`${OTHER_MODEL.model} ${OTHER_MODEL.serial}`) }).click();
    const dialog = app.page.getByRole('dialog', { name: zhCN.flash.heading });
    await dialog.getByLabel(zhCN.flash.fileLabel).setInputFiles({ name: PACKAGE_NAME, mimeType: 'application/octet-stream', buffer: Buffer.from(packageBytes) });
    const refused = dialog.locator(`.compat-row[data-address="${other!.address}"][data-status="error"]`);
    await refused.waitFor({ timeout: 20_000 });
    expect(await refused.locator('.compat-issue').textContent()).toBe(`${E.PACKAGE_WRONG_MODEL.code} ${zhCN.flash.issue['wrong-model'](OTHER_MODEL.model, FIRST.model)}`);
    await app.shot('manual-flash-zh-CN.png', { fullPage: false });
    await app.page.keyboard.press('Escape');
    await nav(zhCN).getByRole('button', { name: zhCN.nav.settings }).click();
    await app.page.getByLabel(zhCN.settings.language).selectOption('en');
    await nav(t).getByRole('button', { name: t.nav.terminals }).click();
  });

  it('ran without a script error or a Content-Security-Policy refusal', () => {
    expect(app.problems).toEqual([]);
  });
});
