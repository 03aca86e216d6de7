import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startDdiTestServer, type DdiTestServer } from '../electron/engine/sources/hawkbit/ddi-test-server';
import { E } from '../electron/shared/errors';
import { t } from '../renderer/i18n/en';
import { startBench, type BenchTerminal } from './bench';
import { useConsolePage } from './spec-harness';

const TERMINAL: BenchTerminal = { model: 'MF286D', hwRevision: 'V1.0', serial: 'POLL286D001', version: 'B01', faults: [] };
const GATEWAY_TOKEN = 'gw-E2e5Polling7Token9';
const READY_TIMEOUT_MS = 60_000;
const INSTALL_TIMEOUT_MS = 90_000;

let ddi: DdiTestServer | undefined;

const app = useConsolePage({
  failedShotPrefix: 'hawkbit-polling',
  async bench() {
    ddi = await startDdiTestServer({ gatewayToken: GATEWAY_TOKEN, pollingSleep: '00:00:01' });
    // As the station runs it: hawkBit servers switched on in Settings are polled in the background.
    return startBench([TERMINAL], { pollHawkbit: true });
  },
  async ready() {
    await app.page.locator(`tr[data-address="${app.bench.terminals[0]!.address}"] .tag-state-ready`).waitFor({ timeout: READY_TIMEOUT_MS });
  },
  async close() {
    await ddi?.close();
  },
});

async function show(screen: 'settings' | 'history') {
  await app.page.getByRole('navigation', { name: t.nav.label }).getByRole('button', { name: t.nav[screen] }).click();
  await app.page.locator(`main[data-screen="${screen}"]`).waitFor();
}

describe('background hawkBit polling, switched on in Settings', () => {
  it('installs what the server assigns to an attached terminal without any further click, and shows it in the history', async () => {
    const server = ddi!;
    await show('settings');
    await app.page.getByRole('button', { name: t.settings.addSource(t.settings.kinds.hawkbit) }).click();
    const source = app.page.locator('fieldset.source[data-kind="hawkbit"]');
    await source.getByLabel(t.settings.url).fill(server.url);
    await source.getByLabel(t.settings.token, { exact: true }).fill(GATEWAY_TOKEN);
    const poll = source.getByRole('checkbox', { name: t.settings.poll });
    expect(await poll.isChecked()).toBe(false);
    await poll.check();
    await app.page.getByRole('button', { name: t.settings.save }).click();
    await app.page.getByRole('status').filter({ hasText: t.settings.saved }).waitFor();
    expect(await poll.isChecked()).toBe(true);
    await app.shot('settings-hawkbit-poll.png');

    const image = await readFile(await app.bench.writeImage({ model: TERMINAL.model, hwRevision: TERMINAL.hwRevision, version: 'B02', payloadBytes: 256 * 1024 }));
    const action = server.assign(TERMINAL.serial, { artifacts: [{ filename: 'MF286D_B02.bin', bytes: new Uint8Array(image) }], version: 'B02' });
    await expect.poll(() => server.actionState(action), { timeout: INSTALL_TIMEOUT_MS, interval: 250 }).toBe('closed');
    expect(server.feedbackFor(action).at(-1)!.body.status).toMatchObject({ execution: 'closed', result: { finished: 'success' }, code: 0 });

    await show('history');
    const row = app.page.locator('tr[data-job-id]').filter({ hasText: 'MF286D_B02.bin' });
    await row.waitFor({ timeout: READY_TIMEOUT_MS });
    expect(await row.locator('code').textContent()).toBe(E.SUCCESS.code);
    expect(app.problems).toEqual([]);
  });
});
