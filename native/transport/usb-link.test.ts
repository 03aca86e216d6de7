import { afterEach, describe, expect, it } from 'vitest';
import type { ZucError } from '../../electron/shared/errors';
import { E } from '../../electron/shared/errors';
import { AGENT_INTERFACE, ZTE_VENDOR_ID } from '../discovery/usb-api';
import { VirtualUsbBus } from '../discovery/usb-bus';
import { FakeUsb } from '../discovery/usb-fake';
import { createSimulatedUsbBus, SimulatedUsbDevice, USB_DEFAULT_TRANSFER_TIMEOUT_MS, type SimulatedUsbBus } from '../simulator/usb-endpoint';
import type { ByteLink } from './byte-link';
import { openLink } from './open-link';
import { findAgentPipes, openUsbLink, USB_IN_TRANSFER_BYTES } from './usb-link';

const SERIAL = '320A6F01';
const ADDRESS = `usb:19d2:1405:${SERIAL}`;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function codeOf(p: Promise<unknown>): Promise<ZucError | undefined> {
  try {
    await p;
  } catch (err) {
    return err as ZucError;
  }
  return undefined;
}

/** A bus with one simulated terminal plugged in; `agent` is the terminal's end of the pipe. */
async function plugged(serial = SERIAL): Promise<{ bus: SimulatedUsbBus; device: SimulatedUsbDevice; agent: ByteLink }> {
  const bus = createSimulatedUsbBus();
  const device = new SimulatedUsbDevice(0x1405, serial);
  await bus.attach(device);
  return { bus, device, agent: device.agentLink };
}

async function open(bus: SimulatedUsbBus, address = ADDRESS): Promise<ByteLink> {
  const link = await openLink(address, { usb: bus });
  cleanups.push(() => link.close());
  return link;
}

function collect(link: ByteLink, bytes: number): { chunks: Uint8Array[]; all: Promise<Uint8Array> } {
  const chunks: Uint8Array[] = [];
  let got = 0;
  const all = new Promise<Uint8Array>((resolve) => {
    link.onData((chunk) => {
      chunks.push(chunk.slice());
      got += chunk.length;
      if (got >= bytes) resolve(new Uint8Array(Buffer.concat(chunks)));
    });
  });
  return { chunks, all };
}

const pattern = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * seed + 7) & 0xff);

describe('USB link over the agent interface', () => {
  it('moves bytes both ways, in order, reading at most one bounded transfer at a time', async () => {
    const { bus, agent } = await plugged();
    const link = await open(bus);
    expect(link.kind).toBe('usb');
    const toTerminal = pattern(300_000, 31);
    const atTerminal = collect(agent, toTerminal.length);
    const buffer = pattern(1000, 3);
    void link.write(buffer);
    buffer.fill(0); // the link copied the bytes at write()
    await link.write(toTerminal.subarray(1000));
    expect(Buffer.from(await atTerminal.all).equals(Buffer.concat([pattern(1000, 3), toTerminal.subarray(1000)]))).toBe(true);

    const fromTerminal = pattern(200_000, 17);
    const atConsole = collect(link, fromTerminal.length);
    await agent.write(fromTerminal);
    expect(Buffer.from(await atConsole.all).equals(Buffer.from(fromTerminal))).toBe(true);
    expect(Math.max(...atConsole.chunks.map((c) => c.length))).toBeLessThanOrEqual(USB_IN_TRANSFER_BYTES);
  });

  it('keeps listening through idle periods longer than the USB package’s transfer timeout', async () => {
    const { bus, agent } = await plugged();
    const link = await open(bus);
    const later = collect(link, 3);
    await new Promise((resolve) => setTimeout(resolve, USB_DEFAULT_TRANSFER_TIMEOUT_MS + 200));
    await agent.write(Uint8Array.of(1, 2, 3));
    expect(await later.all).toEqual(Uint8Array.of(1, 2, 3));
    expect(link.closed).toBe(false);
  });

  for (const reportedAs of ['rejection', 'status'] as const) {
    it(`clears a halted endpoint in either direction and carries on (stall as a ${reportedAs}, as the usb package or a browser reports it)`, async () => {
      const { bus, device, agent } = await plugged();
      const link = await open(bus);
      device.haltEndpoint('out', reportedAs);
      const atTerminal = collect(agent, 4);
      await link.write(Uint8Array.of(9, 8, 7, 6));
      expect(await atTerminal.all).toEqual(Uint8Array.of(9, 8, 7, 6));
      device.haltEndpoint('in', reportedAs);
      const atConsole = collect(link, 2);
      await agent.write(Uint8Array.of(5, 4));
      expect(await atConsole.all).toEqual(Uint8Array.of(5, 4));
      expect(link.closed).toBe(false);
    });
  }

  it('a terminal that takes no OUT data within the transfer timeout is LINK_LOST', async () => {
    const { device } = await plugged();
    const link = await openUsbLink(ADDRESS, device, { outTransferTimeoutMs: 100 });
    cleanups.push(() => link.close());
    const closed = new Promise<ZucError | undefined>((resolve) => link.onClose(resolve));
    device.hang();
    const error = await codeOf(link.write(Uint8Array.of(1, 2, 3)));
    expect(error?.code).toBe(E.LINK_LOST.code);
    expect((await closed)?.detail).toContain('took no data for 100 ms');
  });

  it('an unplug mid-transfer closes the link with LINK_LOST and fails the writes, as a pulled TCP or serial cable does', async () => {
    const { bus, device } = await plugged();
    const link = await open(bus);
    const closed = new Promise<ZucError | undefined>((resolve) => link.onClose(resolve));
    const writing = link.write(new Uint8Array(1_000_000));
    await bus.detach(device);
    expect((await closed)?.code).toBe(E.LINK_LOST.code);
    expect((await codeOf(writing))?.code).toBe(E.LINK_LOST.code);
    expect((await codeOf(link.write(Uint8Array.of(1))))?.code).toBe(E.LINK_LOST.code);
    await link.close();
  });

  it('close releases the interface, so the next console (or this one again) can claim it', async () => {
    const { bus, device } = await plugged();
    const first = await openLink(ADDRESS, { usb: bus });
    await first.close();
    await first.close();
    expect(first.closed).toBe(true);
    expect(device.opened).toBe(false);
    expect((await codeOf(first.write(Uint8Array.of(1))))?.code).toBe(E.LINK_LOST.code);
    const other = device.anotherHandle();
    await other.open();
    await other.claimInterface(1);
    await other.close();
    await open(bus);
  });

  it('selects the agent configuration when the device is unconfigured', async () => {
    const { bus, device, agent } = await plugged();
    device.unconfigure();
    expect(device.configuration).toBeNull();
    const link = await open(bus);
    expect(device.configuration).toEqual({ configurationValue: 1 });
    const atTerminal = collect(agent, 1);
    await link.write(Uint8Array.of(42));
    expect(await atTerminal.all).toEqual(Uint8Array.of(42));
  });
});

describe('opening a usb: address', () => {
  it('finds the terminal by serial number among several with the same ids', async () => {
    const bus = createSimulatedUsbBus();
    const a = new SimulatedUsbDevice(0x1405, 'AAA1');
    const b = new SimulatedUsbDevice(0x1405, 'BBB2');
    await bus.attach(a);
    await bus.attach(b);
    await open(bus, 'usb:19D2:1405:BBB2');
    expect([a.opened, b.opened]).toEqual([false, true]);
    const ambiguous = await codeOf(openLink('usb:19d2:1405', { usb: bus }));
    expect(ambiguous?.code).toBe(E.BAD_ADDRESS.code);
    expect(ambiguous?.detail).toContain('usb:19d2:1405:AAA1');
  });

  it('refuses a terminal that is not attached with USB_DEVICE_NOT_FOUND, naming what is attached', async () => {
    const { bus } = await plugged('OTHER1');
    const error = await codeOf(openLink(ADDRESS, { usb: bus }));
    expect(error?.code).toBe(E.USB_DEVICE_NOT_FOUND.code);
    expect(error?.detail).toContain('usb:19d2:1405:OTHER1');
    expect(error?.entry.retryable).toBe(true);
  });

  it('refuses an interface another process claimed with USB_INTERFACE_BUSY, and leaves the device closed', async () => {
    const { bus, device } = await plugged();
    const otherProcess = device.anotherHandle();
    await otherProcess.open();
    await otherProcess.claimInterface(1);
    const error = await codeOf(openLink(ADDRESS, { usb: bus }));
    expect(error?.code).toBe(E.USB_INTERFACE_BUSY.code);
    expect(error?.detail).toMatch(/claiming interface 1: .*busy/);
    expect(device.opened).toBe(false);
  });

  it('refuses a second link to a terminal this console already has open', async () => {
    const { bus } = await plugged();
    await open(bus);
    expect((await codeOf(openLink(ADDRESS, { usb: bus })))?.code).toBe(E.USB_INTERFACE_BUSY.code);
  });

  it('a permission refusal points to the udev rules', async () => {
    const { bus, device } = await plugged();
    device.denyAccess();
    const error = await codeOf(openLink(ADDRESS, { usb: bus }));
    expect(error?.code).toBe(E.USB_ACCESS_DENIED.code);
    expect(error?.entry.remedy).toContain('build/linux/60-zte-update-console.rules');
  });

  it('refuses malformed addresses with BAD_ADDRESS', async () => {
    const bus = createSimulatedUsbBus();
    for (const bad of ['usb:', 'usb:19d2', 'usb:19d2:14', 'usb:xyz1:1405', 'usb:19d2:1405:', `usb:19d2:1405:${'S'.repeat(127)}`, 'usb:19d2:1405:A\nB']) {
      expect((await codeOf(openLink(bad, { usb: bus })))?.code, bad).toBe(E.BAD_ADDRESS.code);
    }
  });

  it('a machine without USB says USB_UNAVAILABLE', async () => {
    expect((await codeOf(openLink(ADDRESS, { usb: new VirtualUsbBus<SimulatedUsbDevice>(false) })))?.code).toBe(E.USB_UNAVAILABLE.code);
  });

  it('through the system’s USB on this machine: a catalogued refusal, never a crash', async () => {
    const error = await codeOf(openLink('usb:19d2:ffff:ZUC-NO-SUCH-TERMINAL'));
    expect([E.USB_UNAVAILABLE.code, E.USB_DEVICE_NOT_FOUND.code]).toContain(error?.code);
  });

  it('a ZTE device without the agent’s bulk pipes is refused with USB_NO_AGENT_INTERFACE', async () => {
    const usb = new FakeUsb();
    const modemOnly = await usb.plug({ vendorId: ZTE_VENDOR_ID, productId: 0x0031, interfaces: [[{ interfaceClass: 2, interfaceSubclass: 2, interfaceProtocol: 1 }]] });
    const noPipes = await usb.plug({ vendorId: ZTE_VENDOR_ID, productId: 0x0032, interfaces: [[{ ...AGENT_INTERFACE, endpoints: [] }]] });
    expect(() => findAgentPipes(modemOnly, 'usb:19d2:0031')).toThrow(expect.objectContaining({ code: E.USB_NO_AGENT_INTERFACE.code }));
    expect(() => findAgentPipes(noPipes, 'usb:19d2:0032')).toThrow(/no bulk IN and OUT endpoint pair/);
    expect(findAgentPipes(new SimulatedUsbDevice(0x1405, 'X'), ADDRESS)).toEqual({ configurationValue: 1, interfaceNumber: 1, alternateSetting: 0, inEndpoint: 2, outEndpoint: 2 });
  });
});
