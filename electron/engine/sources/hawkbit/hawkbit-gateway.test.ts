import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../../native/simulator';
import { E } from '../../../shared/errors';
import { PackageCache } from '../../download';
import { Outbox } from '../../report';
import { openDatabase, type Db } from '../../store';
import { imageFile, startEngine, startTerminal, tempDir, until } from '../../test-kit';
import { startDdiTestServer, type DdiTestServer } from './ddi-test-server';
import { flashInstaller } from './flash-install';
import { HawkbitGateway } from './hawkbit-gateway';

const GATEWAY_TOKEN = 'gw-Jk3Lm5Np7Qr9St1Uv';

let ddi: DdiTestServer | undefined;
let db: Db | undefined;
afterEach(async () => {
  if (db?.open) db.close();
  await ddi?.close();
});

describe('hawkBit gateway', () => {
  it('updates several terminals without network through one GatewayToken, each under its serial, and stops cleanly', async () => {
    const engine = await startEngine();
    const ok = await startTerminal({ serial: 'ZTE-GW-0001' });
    const failing = await startTerminal({ serial: 'ZTE-GW-0002', faults: [parseFaultSpec('boot-fail')] });
    for (const t of [ok, failing]) await engine.addDevice({ address: t.address });
    const image = await imageFile({ version: 'B02' });
    ddi = await startDdiTestServer({ gatewayToken: GATEWAY_TOKEN, pollingSleep: '00:00:01' });
    const actions = [ok, failing].map((t) => ddi!.assign(t.serial, { artifacts: [{ filename: 'MF286D_B02.bin', bytes: image.bytes }] }));

    const dataDir = await tempDir('zuc-gateway-');
    db = openDatabase(dataDir);
    const outbox = new Outbox(db, { backoff: { firstDelayMs: 20, maxDelayMs: 100 } });
    const gateway = new HawkbitGateway({ server: { baseUrl: ddi.url, tenant: ddi.tenant, auth: { kind: 'gateway', token: GATEWAY_TOKEN } }, outbox, cache: PackageCache.inDataDir(dataDir) });
    outbox.start();
    for (const t of [ok, failing]) gateway.addTerminal({ serial: t.serial, install: flashInstaller(engine, t.address), attributes: () => ({ model: 'MF286D' }) });
    expect(() => gateway.addTerminal({ serial: ok.serial, install: flashInstaller(engine, ok.address) })).toThrow(expect.objectContaining({ code: E.TERMINAL_BUSY.code }));

    await until(() => actions.every((a) => ddi!.actionState(a) === 'closed'));
    await gateway.stop();
    await outbox.stop();
    expect(gateway.terminals()).toEqual([]);
    expect(ddi.feedbackFor(actions[0]!).at(-1)!.body.status).toMatchObject({ result: { finished: 'success' }, code: 0 });
    expect(ddi.feedbackFor(actions[1]!).at(-1)!.body.status).toMatchObject({ result: { finished: 'failure' }, code: 4002 });
    expect(ok.inspect().slots.b.version).toBe('B02');
    expect(failing.inspect().activeSlot).toBe('a');
    expect([...ddi.attributes.keys()].sort()).toEqual([ok.serial, failing.serial]);
    // One download served both terminals: the cache is shared.
    expect(ddi.requests.filter((r) => r.includes('/artifacts/'))).toHaveLength(1);
  });
});
