import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ZucError } from '../../electron/shared/errors';
import { createPtyPair, type PtyPair } from '../simulator/pty-pair';
import type { ByteLink } from './byte-link';
import { createMemoryLinkPair, openLink, parseAddress } from './index';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return (err as ZucError).code;
  }
  return undefined;
}

function received(link: ByteLink, bytes: number): Promise<Uint8Array> {
  const parts: number[] = [];
  return new Promise((resolve) => {
    link.onData((chunk) => {
      parts.push(...chunk);
      if (parts.length >= bytes) resolve(Uint8Array.from(parts));
    });
  });
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('parseAddress', () => {
  it('understands tcp, serial paths and serial:PATH@BAUD', () => {
    expect(parseAddress('tcp://127.0.0.1:5600')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 5600 });
    expect(parseAddress('/dev/ttyUSB0')).toEqual({ kind: 'serial', path: '/dev/ttyUSB0', baudRate: 115200 });
    expect(parseAddress('serial:/dev/ttyS1@921600')).toEqual({ kind: 'serial', path: '/dev/ttyS1', baudRate: 921600 });
  });

  it('refuses anything else with BAD_ADDRESS', async () => {
    for (const bad of ['', 'tcp://host', 'tcp://host:0', 'tcp://host:70000', 'http://x:1', 'ttyUSB0', 'serial:/dev/x@123', 'serial:dev/x']) {
      expect(await codeOf(Promise.resolve().then(() => parseAddress(bad))), bad).toBe('ZUC-1010');
    }
    expect(await codeOf(openLink('bogus'))).toBe('ZUC-1010');
  });
});

describe('memory link', () => {
  it('delivers bytes in order and is strict after close', async () => {
    const [a, b] = createMemoryLinkPair();
    const got = received(b, 6);
    const buffer = Uint8Array.of(1, 2, 3);
    void a.write(buffer);
    buffer.fill(9); // the link copied the bytes at write()
    await a.write(Uint8Array.of(4, 5, 6));
    expect(await got).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6));
    const bClosed = new Promise<ZucError | undefined>((resolve) => b.onClose(resolve));
    await a.close();
    expect(a.closed).toBe(true);
    expect((await bClosed)?.code).toBe('ZUC-2002');
    expect(await codeOf(a.write(Uint8Array.of(1)))).toBe('ZUC-2002');
    expect(await codeOf(b.write(Uint8Array.of(1)))).toBe('ZUC-2002');
  });
});

describe('tcp link', () => {
  it('exchanges bytes and reports the terminal dropping the connection as LINK_LOST', async () => {
    const server = net.createServer((socket) => {
      socket.on('data', (d) => {
        socket.write(d);
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as net.AddressInfo;
    const link = await openLink(`tcp://127.0.0.1:${port}`);
    expect(link.kind).toBe('tcp');
    const closed = new Promise<ZucError | undefined>((resolve) => link.onClose(resolve));
    const echo = received(link, 3);
    await link.write(Uint8Array.of(7, 8, 9));
    expect(await echo).toEqual(Uint8Array.of(7, 8, 9));
    expect((await closed)?.code).toBe('ZUC-2002');
    expect(await codeOf(link.write(Uint8Array.of(1)))).toBe('ZUC-2002');
  });

  it('sends parts back to back in call order, mixed with plain writes, and refuses them after close', async () => {
    const got: Buffer[] = [];
    let peerEnded: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => (peerEnded = resolve));
    const server = net.createServer((socket) => {
      socket.on('data', (d: Buffer) => got.push(d));
      socket.on('end', () => {
        peerEnded();
        socket.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const link = await openLink(`tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    const big = Uint8Array.from({ length: 200_000 }, (_, i) => i & 0xff);
    // Same tick: corked together; the plain write between them keeps its place.
    const sent = [link.writeParts!([Uint8Array.of(1, 2), big.subarray(0, 100_000), Uint8Array.of(3)]), link.write(Uint8Array.of(4)), link.writeParts!([big.subarray(100_000), Uint8Array.of(5)])];
    await Promise.all(sent);
    await link.writeParts!([Uint8Array.of(6)]);
    await link.close();
    await ended;
    const all = Buffer.concat(got);
    expect(all.equals(Buffer.concat([Uint8Array.of(1, 2), big.subarray(0, 100_000), Uint8Array.of(3, 4), big.subarray(100_000), Uint8Array.of(5, 6)]))).toBe(true);
    expect(await codeOf(link.writeParts!([Uint8Array.of(7)]))).toBe('ZUC-2002');
  });

  it('reports a port nobody listens on as TERMINAL_UNREACHABLE', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    expect(await codeOf(openLink(`tcp://127.0.0.1:${port}`))).toBe('ZUC-2001');
  });
});

describe('serial link', () => {
  it('reports a missing device as PORT_OPEN_FAILED', async () => {
    expect(await codeOf(openLink('/dev/ttyZUC-does-not-exist'))).toBe('ZUC-2004');
  });

  it('moves bytes both ways over a real socat PTY pair and closes after draining', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zuc-pty-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const pair: PtyPair = await createPtyPair(dir);
    cleanups.push(() => pair.close());
    const consoleEnd = await openLink(pair.consolePath);
    const deviceEnd = await openLink(`serial:${pair.devicePath}@921600`);
    expect(consoleEnd.kind).toBe('serial');
    const big = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 31) & 0xff);
    const atDevice = received(deviceEnd, big.length);
    await consoleEnd.write(big);
    expect(Buffer.from(await atDevice).equals(Buffer.from(big))).toBe(true);
    const atConsole = received(consoleEnd, 4);
    await deviceEnd.write(Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
    expect(await atConsole).toEqual(Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
    await consoleEnd.close();
    await consoleEnd.close();
    expect(consoleEnd.closed).toBe(true);
    expect(await codeOf(consoleEnd.write(Uint8Array.of(1)))).toBe('ZUC-2002');
    await deviceEnd.close();
  });

  it('keeps writing a burst while small answers arrive (no stall when a read wait follows a write wait)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zuc-pty-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const pair = await createPtyPair(dir);
    cleanups.push(() => pair.close());
    const consoleEnd = await openLink(pair.consolePath);
    const deviceEnd = await openLink(pair.devicePath);
    cleanups.push(() => Promise.all([consoleEnd.close(), deviceEnd.close()]));
    const total = 1024 * 1024;
    // Like a terminal acknowledging chunks: a byte back now and then, the final word only when all arrived.
    let got = 0;
    deviceEnd.onData((chunk) => {
      const before = got;
      got += chunk.length;
      if (Math.floor(before / 50_000) !== Math.floor(got / 50_000)) void deviceEnd.write(Uint8Array.of(1));
      if (got === total) void deviceEnd.write(Uint8Array.of(2));
    });
    const done = new Promise<void>((resolve) => consoleEnd.onData((chunk) => chunk.includes(2) && resolve()));
    void consoleEnd.write(new Uint8Array(total).fill(7));
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('stalled'), 10_000));
    expect(await Promise.race([done.then(() => 'done'), timeout])).toBe('done');
  });

  it('reports the other end vanishing (socat gone, like a pulled USB-serial cable) as LINK_LOST', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zuc-pty-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const pair = await createPtyPair(dir);
    const link = await openLink(pair.consolePath);
    const closed = new Promise<ZucError | undefined>((resolve) => link.onClose(resolve));
    await pair.close();
    expect((await closed)?.code).toBe('ZUC-2002');
    expect(await codeOf(link.write(Uint8Array.of(1)))).toBe('ZUC-2002');
    await link.close();
  });
});
