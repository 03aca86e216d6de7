import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../native/simulator';
import { JobReportSchema } from '../../shared/contract';
import { E } from '../../shared/errors';
import { imageFile, startTerminal, tempDir } from '../../engine/test-kit';
import { zuc, zucProcess } from './cli-test-kit';

const STACK_LINE = /\n\s+at .+:\d+/;

describe('zuc flash', () => {
  it('flashes to success and prints one JSON report with exit 0', async () => {
    const terminal = await startTerminal();
    const image = await imageFile({ version: 'B02' });
    const run = await zuc(['flash', terminal.address, image.path, '--json'], { dataDir: await tempDir() });
    expect(run.status).toBe(0);
    const report = JobReportSchema.parse(JSON.parse(run.stdout));
    expect(report).toMatchObject({ result: 'success', code: E.SUCCESS.code, fromVersion: 'B01', toVersion: 'B02', activeSlot: 'b', bytesSent: image.bytes.length });
    expect(report.stages.map((s) => s.name)).toEqual(['detect', 'download', 'verify', 'install', 'report']);
    expect(report.stages.filter((s) => s.status === 'done').every((s) => typeof s.ms === 'number')).toBe(true);
    expect(report.durationMs).toBeGreaterThan(0);
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'b', slots: { b: { version: 'B02', state: 'good' } } });
  });

  it('shows a live progress line on a terminal and a summary at the end', async () => {
    const terminal = await startTerminal({ linkBytesPerSecond: 256 * 1024 });
    const image = await imageFile({ version: 'B02', payloadBytes: 200 * 1024 });
    const run = await zuc(['flash', terminal.address, image.path], { dataDir: await tempDir(), tty: true });
    expect(run.status).toBe(0);
    // Each update rewrites one line: carriage return, then erase-line.
    expect(run.stderr).toContain('\r\u001b[2Kinstalling: write');
    expect(run.stderr).toMatch(/installing: write +\d+% {2}[\d.]+ KiB of [\d.]+ KiB {2}[\d.]+ (KiB|MiB)\/s {2}ETA /);
    expect(run.stdout).toContain('success: ');
    expect(run.stdout).toContain('B01 -> B02; the terminal runs slot b');
    expect(run.stdout).toContain(`code ${E.SUCCESS.code}`);
    expect(run.stdout).toMatch(/stages: detect \d+ ms, verify \d+ ms, install [\d.]+ m?s \[write/);
  });

  it('exits 1 with the rollback code, cause and remedy when the new firmware does not boot', async () => {
    const terminal = await startTerminal({ faults: [parseFaultSpec('boot-fail')] });
    const image = await imageFile({ version: 'B02' });
    const dataDir = await tempDir();
    const run = await zuc(['flash', terminal.address, image.path], { dataDir });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('rolled-back: ');
    expect(run.stdout).toContain(`code ${E.BOOT_FAILED_ROLLED_BACK.code}: ${E.BOOT_FAILED_ROLLED_BACK.title}`);
    expect(run.stdout).toContain(`remedy: ${E.BOOT_FAILED_ROLLED_BACK.remedy}`);
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' } } });

    const json = await zuc(['flash', terminal.address, image.path, '--json'], { dataDir });
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ result: 'rolled-back', code: E.BOOT_FAILED_ROLLED_BACK.code, activeSlot: 'a' });
  });

  it('exits 1 with READBACK_MISMATCH on a corrupted write', async () => {
    const terminal = await startTerminal({ faults: [parseFaultSpec('corrupt-write')] });
    const run = await zuc(['flash', terminal.address, (await imageFile({ version: 'B02' })).path, '--json'], { dataDir: await tempDir() });
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ result: 'failed', code: E.READBACK_MISMATCH.code, activeSlot: 'a' });
  });

  describe('bad input: a clear error with a code, exit 2, nothing written', () => {
    const cases: { name: string; code: string; image(dir: string): Promise<string> }[] = [
      { name: 'an empty image', code: E.IMAGE_EMPTY.code, image: async (dir) => (await writeFile(path.join(dir, 'e.bin'), ''), path.join(dir, 'e.bin')) },
      { name: 'a directory', code: E.IMAGE_IS_DIRECTORY.code, image: async (dir) => (await mkdir(path.join(dir, 'd'), { recursive: true }), path.join(dir, 'd')) },
      { name: 'a missing file', code: E.IMAGE_NOT_FOUND.code, image: async (dir) => path.join(dir, 'missing.bin') },
      { name: 'an image larger than the slot', code: E.IMAGE_TOO_LARGE.code, image: async () => (await imageFile({ version: 'B02', payloadBytes: 200 * 1024 })).path },
    ];
    for (const c of cases) {
      it(`${c.name}: ${c.code}`, async () => {
        const terminal = await startTerminal({ slotSize: 128 * 1024 });
        const slotB = await terminal.readSlot('b');
        const dir = await tempDir();
        const human = await zuc(['flash', terminal.address, await c.image(dir)], { dataDir: dir });
        expect(human.status).toBe(2);
        expect(human.stdout).toContain(`code ${c.code}`);
        expect(human.stdout + human.stderr).not.toMatch(STACK_LINE);
        const json = await zuc(['flash', terminal.address, await c.image(dir), '--json'], { dataDir: dir });
        expect(json.status).toBe(2);
        expect(JSON.parse(json.stdout)).toMatchObject({ result: 'failed', code: c.code, bytesSent: 0 });
        expect(terminal.inspect().payloadBytesReceived).toBe(0);
        expect(await terminal.readSlot('b')).toEqual(slotB);
      });
    }

    it(`an unreachable terminal: ${E.TERMINAL_UNREACHABLE.code}`, async () => {
      const run = await zuc(['flash', 'tcp://127.0.0.1:1', (await imageFile({ version: 'B02' })).path, '--json'], { dataDir: await tempDir() });
      expect(run.status).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({ result: 'failed', code: E.TERMINAL_UNREACHABLE.code, bytesSent: 0 });
    });

    it(`an address that is no terminal address: ${E.BAD_ADDRESS.code}`, async () => {
      const run = await zuc(['flash', 'bogus', (await imageFile({ version: 'B02' })).path], { dataDir: await tempDir() });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`error ${E.BAD_ADDRESS.code}`);
      expect(run.stderr).not.toMatch(STACK_LINE);
    });

    it(`missing arguments: ${E.BAD_ARGUMENTS.code}`, async () => {
      const run = await zuc(['flash', 'tcp://127.0.0.1:1'], { dataDir: await tempDir() });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(E.BAD_ARGUMENTS.code);
    });
  });

  it('works as its own process: exit status, JSON on stdout, history in ZUC_DATA_DIR', async () => {
    const terminal = await startTerminal();
    const dataDir = await tempDir();
    const image = await imageFile({ version: 'B02' });
    const run = await zucProcess(['flash', terminal.address, image.path, '--json'], dataDir);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.status).toBe(0);
    const report = JobReportSchema.parse(JSON.parse(run.stdout));
    const history = await zucProcess(['history', '--json'], dataDir);
    expect(history.status).toBe(0);
    expect(JSON.parse(history.stdout)).toEqual([report]);
  });

  it('stops on Ctrl-C during the write: exit 1, CANCELLED in the report, the old firmware still running', async () => {
    const terminal = await startTerminal({ linkBytesPerSecond: 32 * 1024 });
    const dataDir = await tempDir();
    const image = await imageFile({ version: 'B02', payloadBytes: 128 * 1024 });
    let sent = false;
    const run = await zucProcess(['flash', terminal.address, image.path], dataDir, (stderr, _kill, interrupt) => {
      if (!sent && stderr.includes('installing: write')) {
        sent = true;
        interrupt();
      }
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`code ${E.CANCELLED.code}: ${E.CANCELLED.title}`);
    expect(JSON.parse((await zuc(['history', '--json'], { dataDir })).stdout)).toMatchObject([{ result: 'failed', code: E.CANCELLED.code, activeSlot: 'a' }]);
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' } } });
  });

  it('records a job whose process was killed mid-write as interrupted at the next start', async () => {
    const terminal = await startTerminal({ linkBytesPerSecond: 32 * 1024 });
    const dataDir = await tempDir();
    const image = await imageFile({ version: 'B02', payloadBytes: 128 * 1024 });
    const killed = await zucProcess(['flash', terminal.address, image.path], dataDir, (stderr, kill) => {
      if (stderr.includes('installing: write')) kill();
    });
    expect(killed.signal).toBe('SIGKILL');
    const history = await zuc(['history', '--json'], { dataDir });
    expect(JSON.parse(history.stdout)).toMatchObject([{ result: 'failed', code: E.INTERRUPTED.code, address: terminal.address, fromVersion: 'B01', toVersion: 'B02' }]);
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'a', slots: { a: { version: 'B01', state: 'good' } } });
  });
});
