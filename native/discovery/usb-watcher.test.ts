import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { E } from '../../electron/shared/errors';
import { DiscoveryRecorder } from './discovery-recorder';
import { AGENT_INTERFACE, ZTE_VENDOR_ID } from './usb-api';
import { FakeUsb, FakeUsbDevice } from './usb-fake';
import { UsbWatcher } from './usb-watcher';

const MODEM_INTERFACE = { interfaceClass: 0x02, interfaceSubclass: 0x02, interfaceProtocol: 0x01 };
const zteTerminal = (serialNumber: string) => ({ vendorId: ZTE_VENDOR_ID, productId: 0x1405, serialNumber, interfaces: [[MODEM_INTERFACE], [AGENT_INTERFACE]] });

/** What a watcher reports of a terminal plugged in before it starts, then pulled and plugged in again. */
async function replugSeenFromStart(usb: FakeUsb, serialNumber: string): Promise<string[]> {
  const device = await usb.plug(zteTerminal(serialNumber));
  const seen = new DiscoveryRecorder();
  await new UsbWatcher(usb, seen).start();
  await usb.unplug(device);
  await usb.plug(zteTerminal(serialNumber));
  return seen.events;
}

describe('USB discovery', () => {
  it('reports a ZTE terminal with the agent interface when it is plugged in and when it is pulled', async () => {
    const usb = new FakeUsb();
    const seen = new DiscoveryRecorder();
    const watcher = new UsbWatcher(usb, seen);
    expect(await watcher.start()).toBe(true);
    const device = await usb.plug(zteTerminal('320A6F01'));
    await usb.unplug(device);
    expect(seen.events).toEqual(['+usb:19d2:1405:320A6F01', '-usb:19d2:1405:320A6F01']);
    expect(seen.links[0]).toEqual({ address: 'usb:19d2:1405:320A6F01', via: 'usb', usbSerial: '320A6F01', vendorId: 0x19d2, productId: 0x1405 });
    await watcher.stop();
    expect(usb.listenerCount()).toBe(0);
  });

  it('reports terminals already plugged in when it starts, and the same address after a re-plug', async () => {
    expect(await replugSeenFromStart(new FakeUsb(), 'A1')).toEqual(['+usb:19d2:1405:A1', '-usb:19d2:1405:A1', '+usb:19d2:1405:A1']);
  });

  it('a terminal listed at start is reported gone although the unplug event carries another object (the usb package enumerates anew on every getDevices)', async () => {
    class EnumeratingUsb extends FakeUsb {
      override async getDevices(): Promise<FakeUsbDevice[]> {
        return (await super.getDevices()).map((d) => Object.assign(Object.create(FakeUsbDevice.prototype) as FakeUsbDevice, d));
      }
    }
    expect(await replugSeenFromStart(new EnumeratingUsb(), 'C3')).toEqual(['+usb:19d2:1405:C3', '-usb:19d2:1405:C3', '+usb:19d2:1405:C3']);
  });

  it('ignores other vendors and ZTE devices without the agent interface (a modem stick, a phone in adb mode)', async () => {
    const usb = new FakeUsb();
    const seen = new DiscoveryRecorder();
    await new UsbWatcher(usb, seen).start();
    const other = await usb.plug({ vendorId: 0x12d1, productId: 0x1506, serialNumber: 'HUAWEI', interfaces: [[AGENT_INTERFACE]] });
    await usb.plug({ vendorId: ZTE_VENDOR_ID, productId: 0x0031, serialNumber: 'MODEM', interfaces: [[MODEM_INTERFACE]] });
    await usb.unplug(other);
    expect(seen.events).toEqual([]);
  });

  it('without USB it reports USB_UNAVAILABLE once and never touches hotplug (which would end the process)', async () => {
    const usb = new FakeUsb(false);
    const seen = new DiscoveryRecorder();
    const watcher = new UsbWatcher(usb, seen);
    expect(await watcher.start()).toBe(false);
    expect(seen.events).toEqual([`!${E.USB_UNAVAILABLE.code}`]);
    expect(seen.problems[0]!.detail).toContain('/sys/bus/usb/devices/');
    expect(usb.calls).toEqual(['getDevices']);
    await watcher.stop();
  });

  it('a USB module that fails to load counts as USB unavailable', async () => {
    const seen = new DiscoveryRecorder();
    const failing = Promise.reject(new Error('No native build was found for platform=linux arch=riscv64'));
    failing.catch(() => undefined);
    expect(await new UsbWatcher(failing, seen).start()).toBe(false);
    expect(seen.problems.map((p) => p.code)).toEqual([E.USB_UNAVAILABLE.code]);
  });

  it('the fake holds devices to the real contract', async () => {
    const usb = new FakeUsb();
    const device = await usb.plug(zteTerminal('B2'));
    await expect(device.close()).rejects.toThrow(/not open/);
    await device.open();
    await expect(device.open()).rejects.toThrow(/already open/);
    await usb.unplug(device);
    await expect(device.close()).rejects.toThrow(/NO_DEVICE/);
    await expect(usb.unplug(device)).rejects.toThrow(/not plugged in/);
  });

  it('on this machine the real usb module is watched without ending the process', () => {
    // A separate process: an unguarded failure of the real module ends the process, which a test runner would hide.
    const script = fileURLToPath(new URL('./usb-probe.fixture.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).not.toMatch(/Unhandled|uncaught/i);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { usable: boolean; problems: string[]; alive: boolean };
    expect(report.alive).toBe(true);
    // With a USB subsystem the list works; without one (this kind of machine) the console says so with its code.
    if (!report.usable) expect(report.problems).toEqual([E.USB_UNAVAILABLE.code]);
  });
});
