import { describe, expect, it } from 'vitest';
import type { TerminalConnector } from '../../../native/terminal/terminal-driver';
import { createAgentClient, MAX_PAYLOAD_BYTES } from '../../../native/protocol/agent';
import { parseFaultSpec } from '../../../native/simulator';
import { createSimulatedUsbBus, type SimulatedUsbBus } from '../../../native/simulator/usb-endpoint';
import { openLink } from '../../../native/transport/open-link';
import { E } from '../../shared/errors';
import { engineWithTerminal, flash, imageFile, RESUMED_FLASH_PATH, startEngine, startTerminal, statePath } from '../test-kit';

/** The engine's connector with `usb:` addresses looked up on the simulated bus instead of the machine's USB. */
const usbConnector =
  (bus: SimulatedUsbBus): TerminalConnector =>
  async (address) =>
    createAgentClient(await openLink(address, { usb: bus }));

/** The same pipeline over the USB bulk link: the terminal leaves the bus while it reboots and enumerates again with the same serial number. */
describe('flash pipeline over USB', () => {
  it('flashes to success, finding the terminal again on the bus after its reboot', async () => {
    const bus = createSimulatedUsbBus();
    const terminal = await startTerminal({ transport: 'usb', usbBus: bus });
    const engine = await startEngine({ connector: usbConnector(bus) });
    const device = await engine.addDevice({ address: terminal.address });
    expect(device.info).toMatchObject({ transport: 'usb', activeSlot: 'a', serial: terminal.serial });
    const { report } = await flash(engine, terminal.address, (await imageFile({ version: 'B02' })).path);
    expect(report).toMatchObject({ result: 'success', activeSlot: 'b', toVersion: 'B02' });
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'b', slots: { b: { version: 'B02', state: 'good' } } });
  });

  it('rolls back over USB when the new slot never boots', async () => {
    const bus = createSimulatedUsbBus();
    const { terminal, engine } = await engineWithTerminal({ transport: 'usb', usbBus: bus, faults: [parseFaultSpec('boot-fail')] }, { connector: usbConnector(bus) });
    const { report } = await flash(engine, terminal.address, (await imageFile({ version: 'B02' })).path);
    expect(report).toMatchObject({ result: 'rolled-back', code: E.BOOT_FAILED_ROLLED_BACK.code, activeSlot: 'a' });
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' } } });
  });

  it('a cable pulled mid-write: the job waits, the re-plugged terminal is the same one (discovery, by serial) and the write resumes', async () => {
    const bus = createSimulatedUsbBus();
    const terminal = await startTerminal({ transport: 'usb', usbBus: bus, faults: [parseFaultSpec('disconnect@50%')] });
    const engine = await startEngine({ connector: usbConnector(bus), log: () => undefined, discovery: { portLister: async () => [], usb: bus } });
    await expect.poll(async () => (await engine.getSnapshot({})).devices.map((d) => d.state.kind), { timeout: 8000 }).toEqual(['ready']);
    const image = await imageFile({ version: 'B02', payloadBytes: 600_000 });

    const { report, states } = await flash(engine, terminal.address, image.path);

    expect(report).toMatchObject({ result: 'success', code: E.SUCCESS.code, activeSlot: 'b', toVersion: 'B02' });
    expect(statePath(states)).toEqual(RESUMED_FLASH_PATH);
    // Every acknowledged byte crossed the link once; only the chunk cut by the pull (less than a frame) went again.
    const total = image.bytes.length;
    const cutAt = Math.floor(total / 2);
    const resumedAt = terminal.inspect().log.map((l) => new RegExp(`resumed at (\\d+) of ${total}`).exec(l)?.[1]).find((n) => n !== undefined);
    const acknowledged = Number(resumedAt);
    expect(cutAt - acknowledged).toBeGreaterThanOrEqual(0);
    expect(cutAt - acknowledged).toBeLessThan(MAX_PAYLOAD_BYTES);
    expect(terminal.inspect().payloadBytesReceived).toBe(total + (cutAt - acknowledged));
    expect(Buffer.from((await terminal.readSlot('b')).subarray(0, image.bytes.length)).equals(image.bytes)).toBe(true);
    const { devices } = await engine.getSnapshot({});
    expect(devices.map((d) => [d.address, d.info?.serial])).toEqual([[terminal.address, terminal.serial]]);
  });

  it('a terminal unplugged before the job: failed with USB_DEVICE_NOT_FOUND and shown offline, nothing written', async () => {
    const bus = createSimulatedUsbBus();
    const { terminal, engine } = await engineWithTerminal({ transport: 'usb', usbBus: bus }, { connector: usbConnector(bus) });
    await terminal.close();
    const { report } = await flash(engine, terminal.address, (await imageFile({ version: 'B02' })).path);
    expect(report).toMatchObject({ result: 'failed', code: E.USB_DEVICE_NOT_FOUND.code });
    const { devices } = await engine.getSnapshot({});
    // Shown with the USB code and its remedy, not a generic 'cannot reach'.
    expect(devices.map((d) => (d.state.kind === 'offline' ? d.state.error.code : d.state.kind))).toEqual([E.USB_DEVICE_NOT_FOUND.code]);
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', payloadBytesReceived: 0 });
  });
});
