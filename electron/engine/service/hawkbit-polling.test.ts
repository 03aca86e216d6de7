import { describe, expect, it } from 'vitest';
import type { SettingsUpdate } from '../../shared/contract';
import { E } from '../../shared/errors';
import { startDdiTestServer, type DdiTestServer } from '../sources/hawkbit/ddi-test-server';
import { closeAfterTest, flash, imageFile, startEngine, startTerminal, until } from '../test-kit';

const GATEWAY_TOKEN = 'gw-Pq4Rs6Tu8Vw0Xy2Za';
/** The test server asks for a poll every second: a poller that keeps going polls again within this. */
const MORE_THAN_ONE_INTERVAL_MS = 1600;

async function ddiServer(): Promise<DdiTestServer> {
  return closeAfterTest(await startDdiTestServer({ gatewayToken: GATEWAY_TOKEN, pollingSleep: '00:00:01' }));
}

function hawkbitSource(ddi: DdiTestServer, poll: unknown): NonNullable<SettingsUpdate['sources']>[number] {
  return { kind: 'hawkbit', url: ddi.url, tenant: ddi.tenant, tokenKind: 'gateway', token: GATEWAY_TOKEN, poll } as NonNullable<SettingsUpdate['sources']>[number];
}

const pollsOf = (ddi: DdiTestServer, serial: string): number => ddi.requests.filter((r) => r === `GET /${ddi.tenant}/controller/v1/${serial}`).length;

/** An engine as the desktop app and station run it, with one simulated terminal added and a polled hawkBit server in its settings. */
async function pollingBench() {
  const ddi = await ddiServer();
  const log: string[] = [];
  const engine = await startEngine({ pollHawkbit: true, log: (line) => log.push(line) });
  // Slow enough that a flash of a few MiB takes seconds: long enough for polls to find the terminal busy.
  const terminal = await startTerminal({ linkBytesPerSecond: 256 * 1024 });
  await engine.addDevice({ address: terminal.address });
  await engine.updateSettings({ sources: [hawkbitSource(ddi, true)] });
  return { ddi, engine, terminal, log };
}

describe('background hawkBit polling', () => {
  it('installs a deployment assigned on the server without any other call, as an ordinary job, and closes the action with success', async () => {
    const { ddi, engine, terminal, log } = await pollingBench();
    const image = await imageFile({ version: 'B02' });
    const action = ddi.assign(terminal.serial, { artifacts: [{ filename: 'MF286D_B02.bin', bytes: image.bytes }], version: 'B02' });

    await until(() => ddi.actionState(action) === 'closed', 20_000);
    const closed = ddi.feedbackFor(action).at(-1)!.body.status;
    expect(closed).toMatchObject({ execution: 'closed', result: { finished: 'success' }, code: 0 });
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'b', slots: { b: { version: 'B02', state: 'good' } } });
    const [job] = await engine.listHistory({ terminal: terminal.serial });
    expect(job).toMatchObject({ imageName: 'MF286D_B02.bin', result: 'success', code: E.SUCCESS.code });
    // The server learnt what it needs to pick this terminal for a rollout.
    expect(ddi.attributes.get(terminal.serial)).toMatchObject({ model: 'MF286D', hwRevision: 'V1.0' });
    expect(log.some((line) => line.includes('background polling started'))).toBe(true);
    expect(log.join('\n')).not.toContain(GATEWAY_TOKEN);
  });

  it('stops polling a terminal removed from the registry or unplugged, and polls one added later', async () => {
    const { ddi, engine, terminal } = await pollingBench();
    await until(() => pollsOf(ddi, terminal.serial) >= 1);
    await engine.removeDevice({ address: terminal.address });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const afterRemoval = pollsOf(ddi, terminal.serial);
    await new Promise((resolve) => setTimeout(resolve, MORE_THAN_ONE_INTERVAL_MS));
    expect(pollsOf(ddi, terminal.serial)).toBe(afterRemoval);

    const second = await startTerminal({ serial: 'ZTE-POLL-0002' });
    await engine.addDevice({ address: second.address });
    await until(() => pollsOf(ddi, second.serial) >= 2, 5000);

    // Unplugged: shown offline, no longer polled; the deployment waits for it on the server.
    await second.close();
    expect((await engine.refreshDevice({ address: second.address })).state.kind).toBe('offline');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const afterUnplug = pollsOf(ddi, second.serial);
    await new Promise((resolve) => setTimeout(resolve, MORE_THAN_ONE_INTERVAL_MS));
    expect(pollsOf(ddi, second.serial)).toBe(afterUnplug);
  });

  it('leaves a terminal busy with the technician’s own flash alone; the deployment installs once it is free, as a job of its own', async () => {
    const { ddi, engine, terminal, log } = await pollingBench();
    const own = await imageFile({ version: 'B03', payloadBytes: 1024 * 1024 });
    const technician = flash(engine, terminal.address, own.path);
    await until(() => terminal.inspect().payloadBytesReceived > 0);
    const assigned = await imageFile({ version: 'B02' });
    const action = ddi.assign(terminal.serial, { artifacts: [{ filename: 'MF286D_B02.bin', bytes: assigned.bytes }] });

    await until(() => log.some((line) => line.includes(E.TERMINAL_BUSY.code)), 10_000);
    expect(ddi.actionState(action)).toBe('open');
    expect((await technician).report).toMatchObject({ result: 'success', imageName: 'MF286D_B03.bin' });

    await until(() => ddi.actionState(action) === 'closed', 20_000);
    expect(ddi.feedbackFor(action).at(-1)!.body.status).toMatchObject({ result: { finished: 'success' }, code: 0 });
    const state = terminal.inspect();
    expect(state.slots[state.activeSlot].version).toBe('B02');
    expect((await engine.listHistory({ terminal: terminal.serial })).map((r) => [r.imageName, r.result])).toEqual([
      ['MF286D_B02.bin', 'success'],
      ['MF286D_B03.bin', 'success'],
    ]);
  });

  it('stops polling when the source’s poll switch is turned off, and polls again when it is turned on', async () => {
    const { ddi, engine, terminal, log } = await pollingBench();
    await until(() => pollsOf(ddi, terminal.serial) >= 1);
    await engine.updateSettings({ sources: [hawkbitSource(ddi, false)] });
    expect((await engine.getSettings({})).sources[0]).toMatchObject({ kind: 'hawkbit', poll: false, hasToken: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const afterOff = pollsOf(ddi, terminal.serial);
    await new Promise((resolve) => setTimeout(resolve, MORE_THAN_ONE_INTERVAL_MS));
    expect(pollsOf(ddi, terminal.serial)).toBe(afterOff);
    expect(log.some((line) => line.includes('background polling stopped'))).toBe(true);

    await engine.updateSettings({ sources: [hawkbitSource(ddi, true)] });
    await until(() => pollsOf(ddi, terminal.serial) > afterOff, 5000);
  });

  it('stops every poller when the engine closes', async () => {
    const { ddi, engine, terminal } = await pollingBench();
    await until(() => pollsOf(ddi, terminal.serial) >= 1);
    await engine.close();
    const afterClose = pollsOf(ddi, terminal.serial);
    await new Promise((resolve) => setTimeout(resolve, MORE_THAN_ONE_INTERVAL_MS));
    expect(pollsOf(ddi, terminal.serial)).toBe(afterClose);
  });

  it('does not poll a source saved without the switch, nor at all in an engine not asked to (the CLI)', async () => {
    const ddi = await ddiServer();
    const terminal = await startTerminal();
    const desk = await startEngine({ pollHawkbit: true });
    await desk.addDevice({ address: terminal.address });
    const { poll: _poll, ...unswitched } = hawkbitSource(ddi, true) as { poll: unknown };
    await desk.updateSettings({ sources: [unswitched as NonNullable<SettingsUpdate['sources']>[number]] });
    expect((await desk.getSettings({})).sources[0]).toMatchObject({ poll: false });

    const cli = await startEngine();
    await cli.addDevice({ address: terminal.address });
    await cli.updateSettings({ sources: [hawkbitSource(ddi, true)] });
    await new Promise((resolve) => setTimeout(resolve, MORE_THAN_ONE_INTERVAL_MS));
    expect(pollsOf(ddi, terminal.serial)).toBe(0);
  });

  it('refuses a poll switch that is not true or false, naming the field', async () => {
    const ddi = await ddiServer();
    const engine = await startEngine({ pollHawkbit: true });
    await expect(engine.updateSettings({ sources: [hawkbitSource(ddi, 'yes')] })).rejects.toMatchObject({ code: E.SETTING_REFUSED.code, detail: expect.stringContaining('sources.0.poll') });
    expect((await engine.getSettings({})).sources).toEqual([]);
  });
});
