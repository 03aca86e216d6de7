import { describe, expect, it } from 'vitest';
import { TerminalInfoSchema } from '../../shared/contract';
import { E } from '../../shared/errors';
import { imageFile, startTerminal, tempDir } from '../../engine/test-kit';
import { zuc } from './cli-test-kit';

describe('zuc devices', () => {
  it('identifies several terminals and prints them as JSON', async () => {
    const one = await startTerminal({ serial: 'ZTE-A-0001' });
    const two = await startTerminal({ serial: 'ZTE-B-0002', model: 'MC801A', hwRevision: 'V2.1', version: 'B07' });
    const run = await zuc(['devices', '--connect', one.address, two.address, '--json'], { dataDir: await tempDir() });
    expect(run.status).toBe(0);
    const list = JSON.parse(run.stdout) as unknown[];
    expect(list.map((d) => TerminalInfoSchema.parse(d))).toMatchObject([
      { address: one.address, transport: 'tcp', model: 'MF286D', hwRevision: 'V1.0', serial: 'ZTE-A-0001', activeSlot: 'a', firmwareVersion: 'B01', slots: { a: { version: 'B01', state: 'good' }, b: { state: 'empty' } } },
      { address: two.address, model: 'MC801A', hwRevision: 'V2.1', serial: 'ZTE-B-0002', activeSlot: 'a', slots: { a: { version: 'B07', state: 'good' } } },
    ]);
  });

  it('prints model, revision, serial, versions per slot and the active slot for people', async () => {
    const terminal = await startTerminal({ serial: 'ZTE-A-0001' });
    const run = await zuc(['devices', '--connect', terminal.address], { dataDir: await tempDir() });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${terminal.address}  MF286D rev V1.0  serial ZTE-A-0001`);
    expect(run.stdout).toMatch(/slot a: B01 +good .*← active/);
    expect(run.stdout).toMatch(/slot b: \(empty\) +empty/);
  });

  it('names an unreachable terminal with its code and exits 1, still listing the others', async () => {
    const terminal = await startTerminal();
    const run = await zuc(['devices', '--connect', 'tcp://127.0.0.1:1', terminal.address, '--json'], { dataDir: await tempDir() });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`tcp://127.0.0.1:1: error ${E.TERMINAL_UNREACHABLE.code}`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect((JSON.parse(run.stdout) as { address: string }[]).map((d) => d.address)).toEqual([terminal.address]);
  });

  it('refuses an address it cannot parse, and a call without any, with exit 2', async () => {
    const dataDir = await tempDir();
    const bad = await zuc(['devices', '--connect', 'ftp://nowhere'], { dataDir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(E.BAD_ADDRESS.code);
    const unknownOption = await zuc(['devices', '--conect', 'tcp://127.0.0.1:1'], { dataDir });
    expect(unknownOption.status).toBe(2);
    expect(unknownOption.stderr).toContain(E.BAD_ARGUMENTS.code);
  });

  it('identifies again, without --connect, every terminal used before', async () => {
    const dataDir = await tempDir();
    const none = await zuc(['devices'], { dataDir });
    expect(none.status).toBe(0);
    expect(none.stderr).toContain('No terminals known yet');
    const terminal = await startTerminal();
    expect((await zuc(['flash', terminal.address, (await imageFile({ version: 'B02' })).path], { dataDir })).status).toBe(0);
    const again = await zuc(['devices', '--json'], { dataDir });
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject([{ address: terminal.address, activeSlot: 'b', firmwareVersion: 'B02' }]);
  });
});
