import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpdateReportView } from '../../shared/contract';
import { E } from '../../shared/errors';
import { trustDirWith } from '../image/package-test-kit';
import { closeAfterTest } from '../test-kit';
import type { Engine } from '../service/engine';
import { startDdiTestServer, type DdiTestServer } from '../sources/hawkbit/ddi-test-server';
import { fleetLibrary, publisher, startFleet, updateEngine } from './update-test-kit';

const GATEWAY_TOKEN = 'gw-Settings4Engine2Token8';
/** A hawkBit server that is down must end the update at once, not after a request timeout. */
const UNREACHABLE_BOUND_MS = 5_000;

let ddi: DdiTestServer | undefined;
afterEach(async () => {
  await ddi?.close();
  ddi = undefined;
});

/** Starts an update of `addresses` through the contract and resolves with one report per address. */
async function updateAll(engine: Engine, addresses: string[]): Promise<Map<string, UpdateReportView>> {
  const reports = new Map<string, UpdateReportView>();
  const allDone = new Promise<void>((resolve) =>
    engine.onUpdateReport((report) => {
      reports.set(report.address, report);
      if (reports.size === addresses.length) resolve();
    }),
  );
  expect(await engine.startUpdate({ addresses })).toEqual({ queued: addresses });
  await allDone;
  return reports;
}

function hawkbitSource(url: string) {
  return { kind: 'hawkbit' as const, url, tenant: 'DEFAULT', tokenKind: 'gateway' as const, token: GATEWAY_TOKEN };
}

/** The hawkBit lines of both jobs carry their catalogued texts; their English, and the feedback's details, read as they always did. */
async function expectHawkbitLines(engine: Engine, served: UpdateReportView, idle: UpdateReportView, details: string[]): Promise<void> {
  const servedLog = await engine.getJobLog({ jobId: served.jobId });
  const downloaded = servedLog.find((l) => l.text?.id === 'hawkbit-artifact-downloaded');
  expect(downloaded?.message).toMatch(/^hawkbit ZTE\w+ action \w+: downloaded MF286D_B03\.zup \(\d+ bytes, SHA-256 verified\)$/);
  expect(servedLog.find((l) => l.text?.id === 'hawkbit-deployed')?.message).toMatch(/^hawkBit deployed MF286D_B03\.zup \(\d+ bytes, SHA-256 verified\)$/);
  const idleLog = await engine.getJobLog({ jobId: idle.jobId });
  expect(idleLog.find((l) => l.text?.id === 'hawkbit-nothing-to-install')?.message).toBe(`${served.source}: no deployment`);
  expect(details).toContain(downloaded!.message.replace(/^hawkbit \w+ action \w+: /, ''));
  expect(details).toContain(`job ${served.jobId} on ${served.address}: success ${E.SUCCESS.code}`);
}

describe('startUpdate with a hawkBit source saved in the settings', () => {
  it('installs what hawkBit deployed for the terminal, closes the action with success, and reports a terminal without a deployment as not found', async () => {
    const library = await fleetLibrary();
    const fleet = await startFleet(2, ['B01']);
    ddi = await startDdiTestServer({ gatewayToken: GATEWAY_TOKEN, pollingSleep: '00:00:01' });
    const action = ddi.assign(fleet[0]!.terminal.serial, { version: 'B03', artifacts: [{ filename: 'MF286D_B03.zup', bytes: new Uint8Array(await readFile(path.join(library.dir, 'MF286D_B03.zup'))) }] });
    const { engine } = await updateEngine();
    await engine.updateSettings({ sources: [hawkbitSource(ddi.url)], trustedKeysFolder: await trustDirWith(publisher), concurrency: 2 });

    const check = await engine.checkForUpdates({ address: fleet[0]!.terminal.address });
    expect(check.route).toMatchObject({ packageId: 'MF286D_B03.zup', version: 'B03' });
    const reports = await updateAll(engine, fleet.map((m) => m.terminal.address));

    const served = reports.get(fleet[0]!.terminal.address);
    const idle = reports.get(fleet[1]!.terminal.address);
    expect(served).toMatchObject({ result: 'success', code: E.SUCCESS.code, package: 'MF286D_B03.zup', source: `hawkbit:${ddi.url}/${ddi.tenant}`, toVersion: 'B03' });
    expect(idle).toMatchObject({ result: 'failed', code: E.UPDATE_NOT_FOUND.code, bytesSent: 0 });
    // Both are real jobs in the history, each with its own id.
    const history = await engine.listHistory({ limit: 10 });
    expect(history.map((r) => r.jobId).sort()).toEqual([served!.jobId, idle!.jobId].sort());
    const state = fleet[0]!.terminal.inspect();
    expect(state.slots[state.activeSlot].version).toBe('B03');
    expect(fleet[1]!.terminal.inspect().payloadBytesReceived).toBe(0);
    // The closing feedback leaves through the outbox, maybe a moment after the report event.
    await expect.poll(() => ddi!.actionState(action), { timeout: 5_000 }).toBe('closed');
    expect(ddi.feedbackFor(action).at(-1)!.body.status).toMatchObject({ result: { finished: 'success' } });
    await expectHawkbitLines(engine, served!, idle!, ddi.feedbackFor(action).at(-1)!.body.status.details);
  });

  it('serves each terminal from the first source in the settings that offers it an update: hawkBit first, then the library', async () => {
    const library = await fleetLibrary();
    const fleet = await startFleet(2, ['B01']);
    ddi = await startDdiTestServer({ gatewayToken: GATEWAY_TOKEN });
    const action = ddi.assign(fleet[0]!.terminal.serial, { version: 'B02', artifacts: [{ filename: 'MF286D_B02.zup', bytes: new Uint8Array(await readFile(path.join(library.dir, 'MF286D_B02.zup'))) }] });
    const { engine } = await updateEngine();
    await engine.updateSettings({ sources: [hawkbitSource(ddi.url), { kind: 'library', folder: library.dir }], trustedKeysFolder: await trustDirWith(publisher), concurrency: 2 });

    const reports = await updateAll(engine, fleet.map((m) => m.terminal.address));

    // hawkBit's deployment wins for the terminal it has one for, though the library holds a newer version.
    expect(reports.get(fleet[0]!.terminal.address)).toMatchObject({ result: 'success', package: 'MF286D_B02.zup', toVersion: 'B02', source: expect.stringMatching(/^hawkbit:/) });
    // hawkBit has nothing for the other one: the library serves it.
    expect(reports.get(fleet[1]!.terminal.address)).toMatchObject({ result: 'success', toVersion: 'B03', source: `library:${library.dir}` });
    await expect.poll(() => ddi!.actionState(action), { timeout: 5_000 }).toBe('closed');
  });

  it('delivers each hawkBit server’s feedback to that server, also a retry queued before another server served the next terminal', async () => {
    const library = await fleetLibrary();
    const fleet = await startFleet(2, ['B01']);
    const [first, other] = fleet.map((m) => m.terminal);
    const bytes = new Uint8Array(await readFile(path.join(library.dir, 'MF286D_B02.zup')));
    ddi = await startDdiTestServer({ gatewayToken: GATEWAY_TOKEN });
    const second = closeAfterTest(await startDdiTestServer({ gatewayToken: GATEWAY_TOKEN }));
    const firstAction = ddi.assign(first!.serial, { version: 'B02', artifacts: [{ filename: 'MF286D_B02.zup', bytes }] });
    const secondAction = second.assign(other!.serial, { version: 'B02', artifacts: [{ filename: 'MF286D_B02.zup', bytes }] });
    // The first server's closing feedback is refused once: its retry comes after the second server served the other terminal.
    ddi.inject(/deploymentBase\/[^/]+\/feedback$/, { kind: 'status', status: 503 }, 1);
    const { engine } = await updateEngine();
    await engine.updateSettings({ sources: [hawkbitSource(ddi.url), hawkbitSource(second.url)], trustedKeysFolder: await trustDirWith(publisher), concurrency: 1 });

    const reports = await updateAll(engine, [first!.address, other!.address]);
    expect(reports.get(first!.address)).toMatchObject({ result: 'success', source: `hawkbit:${ddi.url}/${ddi.tenant}` });
    // The second fleet terminal is another model: its action closes too, with the refusal's code.
    expect(reports.get(other!.address)).toMatchObject({ result: 'failed', code: E.PACKAGE_WRONG_MODEL.code, source: `hawkbit:${second.url}/${second.tenant}` });
    await expect.poll(() => [ddi!.actionState(firstAction), second.actionState(secondAction)], { timeout: 10_000 }).toEqual(['closed', 'closed']);
  });

  it('ends each terminal’s update at once with the retryable unreachable-server code when hawkBit is down, and a library after it still serves', async () => {
    const library = await fleetLibrary();
    const fleet = await startFleet(2, ['B01']);
    // A port that was just listening and is closed now: connections are refused.
    ddi = await startDdiTestServer({ gatewayToken: GATEWAY_TOKEN });
    const deadUrl = ddi.url;
    await ddi.close();
    const { engine } = await updateEngine();
    await engine.updateSettings({ sources: [hawkbitSource(deadUrl)], trustedKeysFolder: await trustDirWith(publisher), concurrency: 2 });

    const started = Date.now();
    const down = await updateAll(engine, fleet.map((m) => m.terminal.address));
    expect(Date.now() - started).toBeLessThan(UNREACHABLE_BOUND_MS);
    for (const member of fleet) {
      const report = down.get(member.terminal.address)!;
      expect(report).toMatchObject({ result: 'failed', code: E.BACKEND_UNREACHABLE.code, bytesSent: 0, serial: member.terminal.serial });
      expect(report.error?.retryable).toBe(true);
      expect(report.jobId).not.toBe('');
    }
    const check = await engine.checkForUpdates({ address: fleet[0]!.terminal.address });
    expect(check.failures.map((f) => f.error.code)).toEqual([E.BACKEND_UNREACHABLE.code]);

    await engine.updateSettings({ sources: [hawkbitSource(deadUrl), { kind: 'library', folder: library.dir }] });
    const served = await updateAll(engine, [fleet[0]!.terminal.address]);
    expect(served.get(fleet[0]!.terminal.address)).toMatchObject({ result: 'success', toVersion: 'B03', source: `library:${library.dir}` });
  });
});
