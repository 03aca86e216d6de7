import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpdateReportView } from '../../shared/contract';
import { E } from '../../shared/errors';
import { trustDirWith } from '../image/package-test-kit';
import { startDdiTestServer, type DdiTestServer } from '../sources/hawkbit/ddi-test-server';
import { fleetLibrary, publisher, startFleet, updateEngine } from './update-test-kit';

const GATEWAY_TOKEN = 'gw-Settings4Engine2Token8';

let ddi: DdiTestServer | undefined;
afterEach(async () => {
  await ddi?.close();
  ddi = undefined;
});

describe('startUpdate with a hawkBit source saved in the settings', () => {
  it('installs what hawkBit deployed for the terminal, closes the action with success, and reports a terminal without a deployment as not found', async () => {
    const library = await fleetLibrary();
    const fleet = await startFleet(2, ['B01']);
    ddi = await startDdiTestServer({ gatewayToken: GATEWAY_TOKEN, pollingSleep: '00:00:01' });
    const action = ddi.assign(fleet[0]!.terminal.serial, { artifacts: [{ filename: 'MF286D_B03.zup', bytes: new Uint8Array(await readFile(path.join(library.dir, 'MF286D_B03.zup'))) }] });
    const { engine } = await updateEngine();
    await engine.updateSettings({ sources: [{ kind: 'hawkbit', url: ddi.url, tenant: ddi.tenant, tokenKind: 'gateway', token: GATEWAY_TOKEN }], trustedKeysFolder: await trustDirWith(publisher), concurrency: 2 });

    const reports: UpdateReportView[] = [];
    const allDone = new Promise<void>((resolve) =>
      engine.onUpdateReport((report) => {
        reports.push(report);
        if (reports.length === 2) resolve();
      }),
    );
    expect(await engine.startUpdate({ addresses: fleet.map((m) => m.terminal.address) })).toEqual({ queued: fleet.map((m) => m.terminal.address) });
    await allDone;

    const served = reports.find((r) => r.address === fleet[0]!.terminal.address);
    const idle = reports.find((r) => r.address === fleet[1]!.terminal.address);
    expect(served).toMatchObject({ result: 'success', code: E.SUCCESS.code, package: 'MF286D_B03.zup', source: 'hawkbit', toVersion: 'B03' });
    expect(idle).toMatchObject({ result: 'failed', code: E.UPDATE_NOT_FOUND.code, bytesSent: 0 });
    const state = fleet[0]!.terminal.inspect();
    expect(state.slots[state.activeSlot].version).toBe('B03');
    expect(fleet[1]!.terminal.inspect().payloadBytesReceived).toBe(0);
    // The closing feedback leaves through the outbox, maybe a moment after the report event.
    await expect.poll(() => ddi!.actionState(action), { timeout: 5_000 }).toBe('closed');
    expect(ddi.feedbackFor(action).at(-1)!.body.status).toMatchObject({ result: { finished: 'success' } });
  });
});
