import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../native/simulator';
import { E } from '../../shared/errors';
import { flash, imageFile, startEngine, startTerminal } from '../test-kit';

/** The same pipeline over a serial line: a kernel pseudo-terminal pair stands in for the USB-serial cable. */
describe('flash pipeline over a serial line', () => {
  it('flashes to success, reconnecting through the reboot on the same port', async () => {
    const terminal = await startTerminal({ transport: 'pty' });
    const engine = await startEngine();
    const device = await engine.addDevice({ address: terminal.address });
    expect(device.info).toMatchObject({ transport: 'serial', activeSlot: 'a' });
    const { report } = await flash(engine, terminal.address, (await imageFile({ version: 'B02' })).path);
    expect(report).toMatchObject({ result: 'success', activeSlot: 'b', toVersion: 'B02' });
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'b', slots: { b: { version: 'B02', state: 'good' } } });
  });

  it('rolls back over serial when the new slot never boots', async () => {
    const terminal = await startTerminal({ transport: 'pty', faults: [parseFaultSpec('boot-fail')] });
    const engine = await startEngine();
    await engine.addDevice({ address: terminal.address });
    const { report } = await flash(engine, terminal.address, (await imageFile({ version: 'B02' })).path);
    expect(report).toMatchObject({ result: 'rolled-back', code: E.BOOT_FAILED_ROLLED_BACK.code, activeSlot: 'a' });
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' } } });
  });
});
