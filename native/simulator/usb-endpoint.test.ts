import { describe, expect, it } from 'vitest';
import { E } from '../../electron/shared/errors';
import { DiscoveryRecorder } from '../discovery/discovery-recorder';
import { isZteAgent } from '../discovery/usb-api';
import { UsbWatcher } from '../discovery/usb-watcher';
import { createAgentClient, type AgentClient } from '../protocol/agent';
import { openLink } from '../transport/open-link';
import { buildTestFirmware } from './index';
import { cleanups, codeOf, hex, sha256, start } from './simulator-test-kit';
import { createSimulatedUsbBus, SimulatedUsbDevice, USB2_BULK_PACKET_BYTES, USB_REPLUG_MS, type SimulatedUsbBus } from './usb-endpoint';

const AGENT_IF = 1;
const AGENT_EP = 2;

async function ready(): Promise<{ bus: SimulatedUsbBus; device: SimulatedUsbDevice }> {
  const bus = createSimulatedUsbBus();
  const device = new SimulatedUsbDevice(0x1405, 'SIM0001');
  await bus.attach(device);
  return { bus, device };
}

async function connectUsb(address: string, bus: SimulatedUsbBus): Promise<AgentClient> {
  const client = createAgentClient(await openLink(address, { usb: bus }));
  cleanups.push(() => client.close());
  return client;
}

/** What the engine does after a reboot: open the address again until the terminal identifies. */
async function reconnectUsb(address: string, bus: SimulatedUsbBus): Promise<AgentClient> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const client = await connectUsb(address, bus);
      await client.identify();
      return client;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('simulated USB device: as strict as hardware', () => {
  it('describes a ZTE agent with 512-byte high-speed bulk endpoints', async () => {
    const { device } = await ready();
    expect(isZteAgent(device)).toBe(true);
    const agent = device.configurations[0]!.interfaces[AGENT_IF]!.alternates[0]!;
    expect(agent.endpoints).toEqual([
      { endpointNumber: AGENT_EP, direction: 'in', type: 'bulk', packetSize: USB2_BULK_PACKET_BYTES },
      { endpointNumber: AGENT_EP, direction: 'out', type: 'bulk', packetSize: USB2_BULK_PACKET_BYTES },
    ]);
  });

  it('refuses transfers on an unopened device and on an interface it did not claim', async () => {
    const { device } = await ready();
    await expect(device.transferOut(AGENT_EP, Uint8Array.of(1))).rejects.toThrow(/not open/);
    await expect(device.transferIn(AGENT_EP, 64)).rejects.toThrow(/not open/);
    await device.open();
    await expect(device.transferOut(AGENT_EP, Uint8Array.of(1))).rejects.toThrow(/endpoint not found/);
    await expect(device.transferIn(AGENT_EP, 64)).rejects.toThrow(/endpoint not found/);
    await device.claimInterface(AGENT_IF);
    await expect(device.transferIn(7, 64)).rejects.toThrow(/endpoint not found/);
    await expect(device.transferIn(AGENT_EP, 0)).rejects.toThrow(/length/);
    await device.releaseInterface(AGENT_IF);
    await expect(device.releaseInterface(AGENT_IF)).rejects.toThrow(/not claimed/);
    await device.close();
    await expect(device.close()).rejects.toThrow(/not open/);
  });

  it('an IN transfer resolves with at most the requested length; the rest waits for the next one', async () => {
    const { device } = await ready();
    await device.open();
    await device.claimInterface(AGENT_IF);
    await device.agentLink.write(Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff));
    const first = await device.transferIn(AGENT_EP, 600);
    const second = await device.transferIn(AGENT_EP, 600);
    expect([first.status, first.data?.byteLength, second.data?.byteLength]).toEqual(['ok', 600, 400]);
    expect(second.data?.getUint8(0)).toBe(600 & 0xff);
  });

  it('an idle IN transfer is cancelled at its timeout, as the usb package does', async () => {
    const { device } = await ready();
    await device.open();
    await device.claimInterface(AGENT_IF);
    await expect(device.transferIn(AGENT_EP, 64, 30)).rejects.toThrow(/Cancelled/);
  });

  it('an unplug rejects the pending transfer and every later call; the agent hears LINK_LOST', async () => {
    const { bus, device } = await ready();
    await device.open();
    await device.claimInterface(AGENT_IF);
    const agentClosed = new Promise((resolve) => device.agentLink.onClose(resolve));
    const pending = expect(device.transferIn(AGENT_EP, 64)).rejects.toThrow(/Disconnected/);
    await bus.detach(device);
    await pending;
    await expect(device.transferOut(AGENT_EP, Uint8Array.of(1))).rejects.toThrow(/Disconnected/);
    await expect(device.open()).rejects.toThrow(/No such device/);
    expect(await agentClosed).toMatchObject({ code: E.LINK_LOST.code });
  });

  it('an interface claimed through another handle (another process) is busy until that handle lets go', async () => {
    const { device } = await ready();
    const other = device.anotherHandle();
    await other.open();
    await other.claimInterface(AGENT_IF);
    await device.open();
    await expect(device.claimInterface(AGENT_IF)).rejects.toThrow(/busy/);
    await other.close();
    await device.claimInterface(AGENT_IF);
  });
});

describe('a simulated terminal on USB', () => {
  it('is flashed over the USB link, reboots off the bus and back, and confirms the new slot', async () => {
    const bus = createSimulatedUsbBus();
    const terminal = await start({ transport: 'usb', usbBus: bus });
    expect(terminal.address).toBe(`usb:19d2:1405:${terminal.serial}`);
    const image = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B02', payloadBytes: 600_000 });

    const client = await connectUsb(terminal.address, bus);
    expect(await client.identify()).toMatchObject({ serial: terminal.serial, activeSlot: 'a', agentVersion: 2 });
    await client.writeSlot('b', image);
    expect(hex(await client.hashSlot('b', image.length))).toBe(sha256(image));
    await client.setActive('b');
    await client.reboot();

    const after = await reconnectUsb(terminal.address, bus);
    expect(await after.identify()).toMatchObject({ activeSlot: 'b', firmwareVersion: 'B02' });
    await after.confirm();
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'b', slots: { b: { version: 'B02', state: 'good' } }, payloadBytesReceived: image.length });
  });

  it('discovery sees it plugged, gone while it reboots or its cable is pulled, and back at the same address (same serial)', async () => {
    const bus = createSimulatedUsbBus();
    const seen = new DiscoveryRecorder();
    const watcher = new UsbWatcher(bus, seen);
    await watcher.start();
    cleanups.push(() => watcher.stop());
    const terminal = await start({ transport: 'usb', usbBus: bus, faults: [{ kind: 'disconnect', afterBytes: 100_000 }] });
    const plug = `+${terminal.address}`;
    const unplug = `-${terminal.address}`;
    expect(seen.events).toEqual([plug]);

    const client = await connectUsb(terminal.address, bus);
    await client.identify();
    const image = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B02', payloadBytes: 300_000 });
    expect(await codeOf(client.writeSlot('b', image))).toMatch(/^ZUC-200[23]$/);
    await expect.poll(() => seen.events, { timeout: 5000 }).toEqual([plug, unplug, plug]);
    expect(seen.links.map((l) => l.usbSerial)).toEqual([terminal.serial, terminal.serial]);

    const again = await reconnectUsb(terminal.address, bus);
    await again.reboot();
    await expect.poll(() => seen.events, { timeout: 5000 }).toEqual([plug, unplug, plug, unplug, plug]);
  });

  it('goes off the bus for a moment when its cable is pulled, then answers at the same address', async () => {
    const bus = createSimulatedUsbBus();
    const terminal = await start({ transport: 'usb', usbBus: bus, faults: [{ kind: 'disconnect', afterBytes: 50_000 }] });
    const client = await connectUsb(terminal.address, bus);
    await client.identify();
    const pulled = Date.now();
    await codeOf(client.writeSlot('b', buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B02', payloadBytes: 200_000 })));
    expect(await codeOf(openLink(terminal.address, { usb: bus }))).toBe(E.USB_DEVICE_NOT_FOUND.code);
    const back = await reconnectUsb(terminal.address, bus);
    expect(Date.now() - pulled).toBeGreaterThanOrEqual(USB_REPLUG_MS - 50);
    expect((await back.identify()).serial).toBe(terminal.serial);
  });

  it('is paced at the configured link speed', async () => {
    const bus = createSimulatedUsbBus();
    const terminal = await start({ transport: 'usb', usbBus: bus, linkBytesPerSecond: 400_000 });
    const client = await connectUsb(terminal.address, bus);
    await client.identify();
    const image = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B02', payloadBytes: 200_000 });
    const began = Date.now();
    await client.writeSlot('b', image);
    // 200 kB at 400 kB/s: about half a second, where an unpaced simulated link takes a few milliseconds.
    expect(Date.now() - began).toBeGreaterThanOrEqual(400);
  });

  it('cannot be started without a bus to plug into', async () => {
    expect(await codeOf(start({ transport: 'usb' }))).toBe(E.BAD_ARGUMENTS.code);
  });
});
