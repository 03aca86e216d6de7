import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { E } from '../../electron/shared/errors';
import { createPtyPair } from '../simulator';
import { DiscoveryRecorder } from './discovery-recorder';
import { SerialPortWatcher, type ListedPort } from './serial-port-watcher';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A port list the test changes, as a user plugging adapters would. */
function portList(): { lister: () => Promise<ListedPort[]>; ports: ListedPort[]; failWith: (message: string | null) => void } {
  const state = { ports: [] as ListedPort[], failure: null as string | null };
  return {
    ports: state.ports,
    lister: async () => {
      if (state.failure) throw new Error(state.failure);
      return state.ports.map((p) => ({ ...p }));
    },
    failWith: (message) => (state.failure = message),
  };
}

function watcher(list: ReturnType<typeof portList>, baudRate?: number): { watcher: SerialPortWatcher; seen: DiscoveryRecorder } {
  const seen = new DiscoveryRecorder();
  // A long interval: the test drives each poll itself.
  const w = new SerialPortWatcher(seen, { lister: list.lister, intervalMs: 60_000, baudRate });
  cleanups.push(() => w.stop());
  return { watcher: w, seen };
}

describe('serial port discovery', () => {
  it('reports ports as they appear and disappear from the list, once each', async () => {
    const list = portList();
    const { watcher: w, seen } = watcher(list);
    list.ports.push({ path: '/dev/ttyUSB0', vendorId: '19d2', productId: '1405', serialNumber: 'ZTE0001' });
    await w.start();
    list.ports.push({ path: '/dev/ttyACM0', vendorId: '0403', productId: '6001' });
    await w.poll();
    await w.poll();
    list.ports.splice(0, 1);
    await w.poll();
    expect(seen.events).toEqual(['+/dev/ttyUSB0', '+/dev/ttyACM0', '-/dev/ttyUSB0']);
    expect(seen.links[0]).toEqual({ address: '/dev/ttyUSB0', via: 'serial', usbSerial: 'ZTE0001', vendorId: 0x19d2, productId: 0x1405 });
  });

  it('leaves out built-in UARTs without USB ids unless asked for them', async () => {
    const list = portList();
    list.ports.push({ path: '/dev/ttyS0' }, { path: '/dev/ttyUSB0', vendorId: '0403' });
    const { watcher: w, seen } = watcher(list);
    await w.start();
    expect(seen.events).toEqual(['+/dev/ttyUSB0']);
    const all = new DiscoveryRecorder();
    const every = new SerialPortWatcher(all, { lister: list.lister, intervalMs: 60_000, includeBuiltInPorts: true });
    cleanups.push(() => every.stop());
    await every.start();
    expect(all.events).toEqual(['+/dev/ttyS0', '+/dev/ttyUSB0']);
  });

  it('carries the configured baud rate in the address', async () => {
    const list = portList();
    list.ports.push({ path: '/dev/ttyUSB1', vendorId: '19d2' });
    const { watcher: w, seen } = watcher(list, 921600);
    await w.start();
    expect(seen.events).toEqual(['+serial:/dev/ttyUSB1@921600']);
  });

  it('a new baud rate moves the ports present to their new address', async () => {
    const list = portList();
    list.ports.push({ path: '/dev/ttyUSB1', vendorId: '19d2' });
    const { watcher: w, seen } = watcher(list);
    await w.start();
    w.setBaudRate(460800);
    w.setBaudRate(460800);
    await w.poll();
    expect(seen.events).toEqual(['+/dev/ttyUSB1', '-/dev/ttyUSB1', '+serial:/dev/ttyUSB1@460800']);
  });

  it('a failing port list is reported once and does not detach the ports it had', async () => {
    const list = portList();
    list.ports.push({ path: '/dev/ttyUSB0', vendorId: '0403' });
    const { watcher: w, seen } = watcher(list);
    await w.start();
    list.failWith('udev is not running');
    await w.poll();
    await w.poll();
    expect(seen.events).toEqual(['+/dev/ttyUSB0', `!${E.PORT_LIST_FAILED.code}`]);
    expect(seen.problems[0]!.detail).toContain('udev is not running');
    list.failWith(null);
    list.ports.splice(0, 1);
    await w.poll();
    expect(seen.events.at(-1)).toBe('-/dev/ttyUSB0');
  });

  it('finds a real pseudo-terminal added by path, which the port list never shows, and sees it go', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zuc-disc-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const pty = await createPtyPair(dir);
    cleanups.push(() => pty.close());
    const list = portList();
    const { watcher: w, seen } = watcher(list);
    await w.start();
    await w.addPath(pty.consolePath);
    expect(seen.events).toEqual([`+${pty.consolePath}`]);
    await pty.close();
    await w.poll();
    expect(seen.events).toEqual([`+${pty.consolePath}`, `-${pty.consolePath}`]);
  });

  it('an added path that does not exist yet is reported when it appears', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zuc-disc-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const { watcher: w, seen } = watcher(portList());
    await w.start();
    await w.addPath(path.join(dir, 'ttyZTE0'));
    expect(seen.events).toEqual([]);
    const pty = await createPtyPair(dir);
    cleanups.push(() => pty.close());
    await w.poll();
    expect(seen.events).toEqual([`+${pty.consolePath}`]);
  });

  it('polls on its own', async () => {
    const list = portList();
    const seen = new DiscoveryRecorder();
    const w = new SerialPortWatcher(seen, { lister: list.lister, intervalMs: 20 });
    cleanups.push(() => w.stop());
    await w.start();
    list.ports.push({ path: '/dev/ttyUSB3', vendorId: '19d2' });
    await expect.poll(() => seen.events, { timeout: 2000 }).toEqual(['+/dev/ttyUSB3']);
  });
});
