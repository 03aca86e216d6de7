import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFirmwareHeader } from '../../../native/firmware';
import { parseFaultSpec, type Fault } from '../../../native/simulator';
import { E } from '../../shared/errors';
import { flash, imageFile, startEngine, startTerminal, statePath, tempDir } from '../test-kit';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The image slot a holds, cut to the length its header states. */
function runningImage(slot: Uint8Array): Uint8Array {
  return slot.subarray(0, parseFirmwareHeader(slot).imageLength);
}

async function backupsOf(dataDir: string, serial: string): Promise<string[]> {
  const folder = path.join(dataDir, 'backups', serial);
  return (await readdir(folder)).map((name) => path.join(folder, name));
}

describe('single-slot terminals', () => {
  it('backs the running image up to the console, then writes over it and boots the new one', async () => {
    const terminal = await startTerminal({ singleSlot: true });
    const dataDir = await tempDir('zuc-data-');
    const engine = await startEngine({ dataDir });
    const image = await imageFile({ version: 'B02' });
    const before = runningImage(await terminal.readSlot('a'));
    await engine.addDevice({ address: terminal.address });

    const { report, states } = await flash(engine, terminal.address, image.path);

    expect(report).toMatchObject({ result: 'success', code: E.SUCCESS.code, activeSlot: 'a', fromVersion: 'B01', toVersion: 'B02' });
    expect(statePath(states).slice(0, 5)).toEqual(['queued', 'detecting', 'verifying', 'backing-up', 'installing:write']);
    expect(terminal.inspect().slots.a).toMatchObject({ version: 'B02', state: 'good' });
    const [backup, ...more] = await backupsOf(dataDir, terminal.serial);
    expect(more).toEqual([]);
    expect(backup).toMatch(/\.img$/);
    expect(sha256(await readFile(backup!))).toBe(sha256(before));
    const log = (await engine.getJobLog({ jobId: report.jobId })).map((l) => l.message);
    expect(log.some((m) => m.includes('cannot roll back instantly'))).toBe(true);
  });

  it('an image that does not boot: the backup is written back, the terminal runs its old version, result rolled-back', async () => {
    // The new image panics on every boot; the restored old one must boot, so the fault ends when the restore begins.
    const faults: Fault[] = [parseFaultSpec('boot-fail')];
    const terminal = await startTerminal({ singleSlot: true, faults });
    const dataDir = await tempDir('zuc-data-');
    const engine = await startEngine({ dataDir });
    const image = await imageFile({ version: 'B02' });
    const before = runningImage(await terminal.readSlot('a'));
    await engine.addDevice({ address: terminal.address });
    const subscription = engine.onJobChanged((view) => {
      if (view.state.kind === 'rolling-back') faults.length = 0;
    });

    const { report, states } = await flash(engine, terminal.address, image.path);
    subscription.dispose();

    expect(report).toMatchObject({ result: 'rolled-back', code: E.RESTORED_FROM_BACKUP.code, activeSlot: 'a', fromVersion: 'B01', toVersion: 'B02' });
    expect(report.error?.detail).toContain(E.BOOT_FAILED_ROLLED_BACK.code);
    expect(report.error?.detail).toContain('cannot roll back instantly');
    expect(statePath(states)).toContain('rolling-back');
    expect(terminal.inspect().slots.a).toMatchObject({ version: 'B01', state: 'good' });
    expect(sha256(runningImage(await terminal.readSlot('a')))).toBe(sha256(before));
    const [backup] = await backupsOf(dataDir, terminal.serial);
    expect(sha256(await readFile(backup!))).toBe(sha256(before));
    const log = (await engine.getJobLog({ jobId: report.jobId })).map((l) => l.message);
    expect(log.some((m) => m.includes('restored from the backup'))).toBe(true);
    const [device] = (await engine.getSnapshot({})).devices;
    expect(device).toMatchObject({ state: { kind: 'ready' }, info: { activeSlot: 'a', firmwareVersion: 'B01' } });
  });
});
