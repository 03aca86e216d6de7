import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { E } from '../../shared/errors';
import { trustDirWith } from '../../engine/image/package-test-kit';
import { startDdiTestServer } from '../../engine/sources/hawkbit/ddi-test-server';
import { closeAfterTest, tempDir } from '../../engine/test-kit';
import type { UpdateReport } from '../../engine/update';
import { fleetLibrary, publisher, startFleet } from '../../engine/update/update-test-kit';
import { zuc } from './cli-test-kit';

const GATEWAY_TOKEN = 'gw-Update7Cli9Token1';

describe('zuc update --hawkbit', () => {
  it('installs the deployed package through the flash pipeline and closes the action with success; a terminal without a deployment ends with its code', async () => {
    const library = await fleetLibrary();
    const fleet = await startFleet(2, ['B01']);
    const ddi = closeAfterTest(await startDdiTestServer({ gatewayToken: GATEWAY_TOKEN, pollingSleep: '00:00:01' }));
    const action = ddi.assign(fleet[0]!.terminal.serial, { artifacts: [{ filename: 'MF286D_B03.zup', bytes: new Uint8Array(await readFile(path.join(library.dir, 'MF286D_B03.zup'))) }] });

    const run = await zuc(['update', '--hawkbit', ddi.url, '--tenant', ddi.tenant, '--token', GATEWAY_TOKEN, '--trust', await trustDirWith(publisher), '--json', ...fleet.map((m) => m.terminal.address)], { dataDir: await tempDir() });

    expect(run.status).toBe(1);
    const reports = JSON.parse(run.stdout) as UpdateReport[];
    expect(reports[0]).toMatchObject({ result: 'success', code: E.SUCCESS.code, package: 'MF286D_B03.zup', source: `hawkbit:${ddi.url}/${ddi.tenant}`, toVersion: 'B03' });
    expect(reports[1]).toMatchObject({ result: 'failed', code: E.UPDATE_NOT_FOUND.code, bytesSent: 0 });
    expect(fleet[0]!.terminal.inspect().slots[fleet[0]!.terminal.inspect().activeSlot].version).toBe('B03');
    expect(ddi.actionState(action)).toBe('closed');
    expect(ddi.feedbackFor(action).at(-1)!.body.status).toMatchObject({ result: { finished: 'success' } });
    expect(run.stdout).not.toContain(GATEWAY_TOKEN);
  });
});
