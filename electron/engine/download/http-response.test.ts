import { afterEach, describe, expect, it } from 'vitest';
import { openResponse } from './http-response';
import { startLoopbackServer, type LoopbackServer } from './loopback-server';

const servers: LoopbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(handler: Parameters<typeof startLoopbackServer>[0]): Promise<LoopbackServer> {
  const s = await startLoopbackServer(handler);
  servers.push(s);
  return s;
}

describe('HTTP requests of the downloader', () => {
  it('keeps credentials on a same-origin redirect and drops them when the redirect leaves the origin', async () => {
    const cdn = await server((_req, res) => void res.writeHead(200).end('ok'));
    const origin = await server((req, res) => void res.writeHead(302, { location: req.url === '/a' ? '/b' : cdn.url('/file') }).end());
    const { response } = await openResponse({ url: origin.url('/a'), headers: { Authorization: 'Bearer fleet-token' }, responseTimeoutMs: 2_000, maxRedirects: 5 });
    response.resume();
    expect(origin.requests.map((r) => r.headers.authorization)).toEqual(['Bearer fleet-token', 'Bearer fleet-token']);
    expect(cdn.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('refuses credentials written into the URL and redirects without a Location', async () => {
    await expect(openResponse({ url: 'https://user:secret@cdn.example/fw.zup', responseTimeoutMs: 2_000, maxRedirects: 5 })).rejects.toMatchObject({ code: 'ZUC-6013' });
    const broken = await server((_req, res) => void res.writeHead(301).end());
    await expect(openResponse({ url: broken.url('/x'), responseTimeoutMs: 2_000, maxRedirects: 5 })).rejects.toMatchObject({ code: 'ZUC-6009' });
  });
});
