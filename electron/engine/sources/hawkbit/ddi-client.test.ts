import { afterEach, describe, expect, it } from 'vitest';
import { E } from '../../../shared/errors';
import { DdiClient } from './ddi-client';
import { startDdiTestServer, type DdiTestServer } from './ddi-test-server';

const TOKEN = 'Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56';
let ddi: DdiTestServer | undefined;
afterEach(async () => ddi?.close());

describe('DDI client settings', () => {
  it('refuses settings that would build a wrong URL or a forged header, without echoing the token', async () => {
    ddi = await startDdiTestServer({ targetTokens: { ZTE0001: TOKEN } });
    const config = (over: object) => () => new DdiClient({ baseUrl: ddi!.url, tenant: 'DEFAULT', auth: { kind: 'target', token: TOKEN }, ...over });
    expect(config({ baseUrl: 'ftp://example.com' })).toThrow(expect.objectContaining({ code: E.BACKEND_CONFIG.code }));
    expect(config({ baseUrl: 'not a url' })).toThrow(expect.objectContaining({ code: E.BACKEND_CONFIG.code }));
    expect(config({ baseUrl: 'https://user:secret@example.com' })).toThrow(expect.objectContaining({ code: E.BACKEND_CONFIG.code }));
    expect(config({ tenant: '../admin' })).toThrow(expect.objectContaining({ code: E.BACKEND_CONFIG.code }));
    expect(() => config({})().controllerUrl('ZTE0001/../../x')).toThrow(expect.objectContaining({ code: E.BACKEND_CONFIG.code }));

    const forged = `${TOKEN}\r\nX-Ssl-Client-Cn: ZTE0001`;
    const client = config({ auth: { kind: 'target', token: forged } })();
    const error = await client.poll('ZTE0001').then(
      () => new Error('the poll went out'),
      (err: unknown) => err as Error,
    );
    expect(error).toMatchObject({ code: E.BACKEND_CONFIG.code });
    expect(JSON.stringify([error.message, error])).not.toContain(TOKEN);
    expect(ddi.requests).toEqual([]);
  });

  it('keeps a server path prefix and polls with the token', async () => {
    ddi = await startDdiTestServer({ targetTokens: { ZTE0001: TOKEN }, pollingSleep: '00:01:00' });
    const client = new DdiClient({ baseUrl: `${ddi.url}/`, tenant: ddi.tenant, auth: { kind: 'target', token: TOKEN } });
    expect(client.controllerUrl('ZTE0001').href).toBe(`${ddi.url}/DEFAULT/controller/v1/ZTE0001`);
    expect(new DdiClient({ baseUrl: 'https://example.com/hawkbit/', tenant: 'T1', auth: { kind: 'anonymous' } }).controllerUrl('S1').href).toBe('https://example.com/hawkbit/T1/controller/v1/S1');
    expect(await client.poll('ZTE0001')).toMatchObject({ config: { polling: { sleep: '00:01:00' } } });
  });

  it('reports a server that is not there as BACKEND_UNREACHABLE', async () => {
    ddi = await startDdiTestServer();
    const url = ddi.url;
    await ddi.close();
    const client = new DdiClient({ baseUrl: url, tenant: 'DEFAULT', auth: { kind: 'anonymous' } });
    await expect(client.poll('ZTE0001')).rejects.toMatchObject({ code: E.BACKEND_UNREACHABLE.code });
  });
});
