import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../electron/engine/package';
import { addFleetPackage, buildFleetLibrary } from '../electron/engine/update/fleet-fixtures';
import { E } from '../electron/shared/errors';
import { t } from '../renderer/i18n/en';
import { librarySettings, startBench, writeTrustFolder, type BenchTerminal } from './bench';
import { useConsolePage } from './spec-harness';

const MODEL = { model: 'MF286D', hwRevision: 'V1.0' };
const TERMINAL: BenchTerminal = { ...MODEL, serial: 'SKIP286D001', version: '1.2.0', faults: [] };
const READY_TIMEOUT_MS = 60_000;

let root: string;

const app = useConsolePage({
  failedShotPrefix: 'skipped',
  async bench() {
    root = await mkdtemp(path.join(os.tmpdir(), 'zuc-e2e-skipped-'));
    const release = generateKeyPair();
    // Trusted 1.3.0 (full and delta from 1.2.0), and a newer release candidate from a lab key and unsigned.
    const library = await buildFleetLibrary(path.join(root, 'library'), { key: release, models: [MODEL], baseVersions: [TERMINAL.version], target: '1.3.0' });
    await addFleetPackage(library.dir, MODEL, '1.3.1-rc1', [generateKeyPair()], '-lab');
    await addFleetPackage(library.dir, MODEL, '1.3.1-rc1', [], '-unsigned');
    return startBench([TERMINAL], { trustStoreDir: await writeTrustFolder(path.join(root, 'trust'), release), prepareDataDir: librarySettings(library.dir) });
  },
  async ready() {
    await app.page.locator(`tr[data-address="${app.bench.terminals[0]!.address}"] .tag-state-ready`).waitFor({ timeout: READY_TIMEOUT_MS });
  },
  async close() {
    if (root) await rm(root, { recursive: true, force: true });
  },
});

describe('the Terminals screen offers only packages the console would install', () => {
  it('shows the trusted 1.3.0 as the update and says the newer release candidates were skipped, with their codes', async () => {
    await app.page.getByRole('checkbox', { name: t.updates.selectAll }).check();
    await app.page.getByRole('button', { name: t.updates.check }).click();
    const available = app.page.getByTestId('available-update').filter({ hasText: `1.3.0 · ${t.updates.delta}` });
    await available.waitFor({ timeout: READY_TIMEOUT_MS });
    const notes = (await available.getByTestId('skipped-update').allTextContents()).sort();
    expect(notes).toEqual(
      [`${E.PACKAGE_UNSIGNED.code} ${t.updates.skipped('1.3.1-rc1', t.library.status.unsigned)}`, `${E.PACKAGE_UNTRUSTED_KEY.code} ${t.updates.skipped('1.3.1-rc1', t.library.status.untrusted)}`].sort(),
    );
    await app.shot('skipped-update.png');
    expect(app.problems).toEqual([]);
  });
});
