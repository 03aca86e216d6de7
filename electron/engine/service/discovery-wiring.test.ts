import { describe, expect, it } from 'vitest';
import type { DeviceView } from '../../shared/contract';
import { startSimulatedTerminal, type RunningTerminal } from '../../../native/simulator';
import { HW_REVISION, MODEL, SIM_BOOT_MS, startEngine, tempDir } from '../test-kit';
import type { Engine } from './engine';

const NO_PORTS = { portLister: async () => [], usb: null, portPollIntervalMs: 50 };

async function terminalIn(stateDir: string, transport: 'tcp' | 'pty' = 'tcp'): Promise<RunningTerminal> {
  return startSimulatedTerminal({ stateDir, transport, bootMs: SIM_BOOT_MS, model: MODEL, hwRevision: HW_REVISION, version: 'B01' });
}

async function until(engine: Engine, check: (devices: DeviceView[]) => boolean): Promise<DeviceView[]> {
  let devices: DeviceView[] = [];
  await expect
    .poll(async () => check((devices = (await engine.getSnapshot({})).devices)), { timeout: 8000, interval: 50 })
    .toBe(true);
  return devices;
}

describe('a terminal unplugged and plugged back', () => {
  it('at another address is one terminal, recognised by its serial number, with the new address', async () => {
    const stateDir = await tempDir('zuc-sim-');
    const engine = await startEngine({ log: () => undefined });
    const removed: string[] = [];
    engine.onDeviceRemoved(({ address }) => removed.push(address));

    const first = await terminalIn(stateDir);
    const before = await engine.addDevice({ address: first.address });
    await first.close();
    expect((await engine.refreshDevice({ address: first.address })).state.kind).toBe('offline');

    const again = await terminalIn(stateDir);
    try {
      expect(again.address).not.toBe(first.address);
      expect(again.serial).toBe(first.serial);
      await engine.addDevice({ address: again.address });
      const { devices } = await engine.getSnapshot({});
      expect(devices.map((d) => [d.address, d.info?.serial, d.state.kind])).toEqual([[again.address, before.info!.serial, 'ready']]);
      expect(removed).toEqual([first.address]);
    } finally {
      await again.close();
    }
  });

  it('on the same serial port is seen going and coming back without anyone adding it again', async () => {
    const stateDir = await tempDir('zuc-sim-');
    const engine = await startEngine({ log: () => undefined, discovery: NO_PORTS });
    const first = await terminalIn(stateDir, 'pty');
    expect((await engine.addDevice({ address: first.address })).state.kind).toBe('ready');
    await first.close();
    await until(engine, (d) => d.length === 1 && d[0]!.state.kind === 'offline');

    const again = await terminalIn(stateDir, 'pty');
    try {
      expect(again.address).toBe(first.address);
      const devices = await until(engine, (d) => d.length === 1 && d[0]!.state.kind === 'ready');
      expect(devices[0]!.info?.serial).toBe(first.serial);
    } finally {
      await again.close();
    }
  });
});

describe('discovery in the engine', () => {
  it('identifies the TCP terminals listed in settings, and follows changes to the list', async () => {
    const terminal = await terminalIn(await tempDir('zuc-sim-'));
    try {
      const engine = await startEngine({ log: () => undefined, discovery: NO_PORTS });
      await engine.updateSettings({ tcpTerminals: [terminal.address] });
      const devices = await until(engine, (d) => d.some((v) => v.state.kind === 'ready'));
      expect(devices.map((d) => [d.address, d.info?.serial])).toEqual([[terminal.address, terminal.serial]]);
    } finally {
      await terminal.close();
    }
  });

  it('finds a USB-serial terminal in the port list, and moves it to a baud rate changed in settings', async () => {
    const terminal = await terminalIn(await tempDir('zuc-sim-'), 'pty');
    try {
      const engine = await startEngine({ log: () => undefined, discovery: { ...NO_PORTS, portLister: async () => [{ path: terminal.address, vendorId: '19d2', productId: '1405' }] } });
      await until(engine, (d) => d.length === 1 && d[0]!.address === terminal.address && d[0]!.state.kind === 'ready');
      await engine.updateSettings({ serial: { baudRate: 921600 } });
      const devices = await until(engine, (d) => d.length === 1 && d[0]!.state.kind === 'ready' && d[0]!.address !== terminal.address);
      expect(devices.map((d) => [d.address, d.info?.serial])).toEqual([[`serial:${terminal.address}@921600`, terminal.serial]]);
    } finally {
      await terminal.close();
    }
  });

  it('reports a machine without USB in the log with its code and keeps working', async () => {
    const lines: string[] = [];
    const engine = await startEngine({ log: (line) => lines.push(line), discovery: { portLister: async () => [], portPollIntervalMs: 50 } });
    await expect.poll(() => lines.some((l) => l.startsWith('ZUC-1110')), { timeout: 5000 }).toBe(true);
    expect(await engine.getSnapshot({})).toEqual({ devices: [], jobs: [] });
  });
});
