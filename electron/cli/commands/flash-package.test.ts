import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobReportSchema } from '../../shared/contract';
import { E } from '../../shared/errors';
import { deltaPackageFile, firmwareFor, packageFile, runningImageFile, tampered, terminalState, trustDirWith } from '../../engine/image/package-test-kit';
import { generateKeyPair } from '../../engine/package';
import { startTerminal, tempDir } from '../../engine/test-kit';
import { zuc } from './cli-test-kit';

const STACK_LINE = /\n\s+at .+:\d+/;
const publisher = generateKeyPair();

describe('zuc flash ADDR P.zup', () => {
  it('verifies the package with --trust and flashes the image inside: the terminal runs the manifest version from the other slot', async () => {
    const terminal = await startTerminal();
    const pkg = await packageFile({ version: 'B02', keys: [publisher] });
    const run = await zuc(['flash', terminal.address, pkg.path, '--trust', await trustDirWith(publisher), '--json'], { dataDir: await tempDir() });
    expect(run.status).toBe(0);
    expect(JobReportSchema.parse(JSON.parse(run.stdout))).toMatchObject({ result: 'success', code: E.SUCCESS.code, imageName: 'MF286D_B02.zup', fromVersion: 'B01', toVersion: 'B02', activeSlot: 'b', bytesSent: pkg.image.length });
    expect(terminal.inspect()).toMatchObject({ activeSlot: 'b', slots: { a: { version: 'B01' }, b: { version: 'B02', state: 'good' } } });
    expect(run.stderr).not.toContain('WARNING');
  });

  it('finds the trust store in the data folder by default', async () => {
    const terminal = await startTerminal();
    const dataDir = await tempDir();
    await mkdir(path.join(dataDir, 'trust'));
    await writeFile(path.join(dataDir, 'trust', 'publisher.pem'), publisher.publicKey.export({ format: 'pem', type: 'spki' }).toString());
    const run = await zuc(['flash', terminal.address, (await packageFile({ version: 'B02', keys: [publisher] })).path], { dataDir });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('B01 -> B02; the terminal runs slot b');
  });

  const refusals: { name: string; code: string; file(): Promise<string> }[] = [
    { name: 'signed by an untrusted key', code: E.PACKAGE_UNTRUSTED_KEY.code, file: async () => (await packageFile({ version: 'B02', keys: [generateKeyPair()] })).path },
    { name: 'for another model', code: E.PACKAGE_WRONG_MODEL.code, file: async () => (await packageFile({ version: 'B02', keys: [publisher], models: ['MF971'] })).path },
    {
      name: 'tampered after signing',
      code: E.PACKAGE_PAYLOAD_CORRUPT.code,
      file: async () => {
        const file = path.join(await tempDir(), 'tampered.zup');
        await writeFile(file, tampered((await packageFile({ version: 'B02', keys: [publisher] })).bytes));
        return file;
      },
    },
    { name: 'unsigned, without --allow-unsigned', code: E.PACKAGE_UNSIGNED.code, file: async () => (await packageFile({ version: 'B02', keys: [] })).path },
    {
      name: 'that is a delta (no --source)',
      code: E.PACKAGE_DELTA_MANUAL_FLASH.code,
      file: async () => (await deltaPackageFile(publisher, firmwareFor('B01'), 'B02')).path,
    },
  ];
  for (const c of refusals) {
    it(`refuses a package ${c.name}: ${c.code}, exit 2, nothing written`, async () => {
      const terminal = await startTerminal();
      const before = await terminalState(terminal);
      const run = await zuc(['flash', terminal.address, await c.file(), '--trust', await trustDirWith(publisher)], { dataDir: await tempDir() });
      expect(run.status).toBe(2);
      expect(run.stdout).toContain(`failed: ${terminal.address}`);
      expect(run.stdout).toContain(`code ${c.code}: `);
      expect(run.stdout).toContain('0 B sent');
      expect(run.stdout + run.stderr).not.toMatch(STACK_LINE);
      expect(await terminalState(terminal)).toEqual(before);
    });
  }

  it('flashes an unsigned package with --allow-unsigned, warning loudly on stderr', async () => {
    const terminal = await startTerminal();
    const pkg = await packageFile({ version: 'B02', keys: [] });
    const run = await zuc(['flash', terminal.address, pkg.path, '--allow-unsigned', '--trust', await trustDirWith(publisher)], { dataDir: await tempDir() });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('WARNING: --allow-unsigned is for development only');
    expect(run.stderr).toContain('WARNING: DEVELOPMENT MODE: accepting an UNSIGNED package; its origin is unknown');
    expect(terminal.inspect().slots.b).toMatchObject({ version: 'B02', state: 'good' });
  });

  describe('a delta package with --source: the terminal\'s current image, checked twice', () => {
    it('applies the delta to the source image and flashes the result', async () => {
      const terminal = await startTerminal();
      const running = await runningImageFile('B01');
      const delta = await deltaPackageFile(publisher, running.bytes, 'B02');
      expect(delta.bytes.length).toBeLessThan(delta.image.length / 4);
      const run = await zuc(['flash', terminal.address, delta.path, '--source', running.path, '--trust', await trustDirWith(publisher), '--json'], { dataDir: await tempDir() });
      expect(run.stderr).not.toMatch(STACK_LINE);
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ result: 'success', fromVersion: 'B01', toVersion: 'B02', activeSlot: 'b', bytesSent: delta.image.length });
      expect((await terminal.readSlot('b')).subarray(0, delta.image.length)).toEqual(delta.image);
    });

    it(`refuses a --source file that is not the delta's source: ${E.PACKAGE_DELTA_SOURCE_MISMATCH.code}, nothing written`, async () => {
      const terminal = await startTerminal();
      const before = await terminalState(terminal);
      const delta = await deltaPackageFile(publisher, (await runningImageFile('B01')).bytes, 'B02');
      const other = await runningImageFile('B00');
      const run = await zuc(['flash', terminal.address, delta.path, '--source', other.path, '--trust', await trustDirWith(publisher)], { dataDir: await tempDir() });
      expect(run.status).toBe(2);
      expect(run.stdout).toContain(`code ${E.PACKAGE_DELTA_SOURCE_MISMATCH.code}`);
      expect(run.stdout).toMatch(/detail: MF286D_B00\.bin has sha256 [0-9a-f]{64}; the delta was made from B01/);
      expect(await terminalState(terminal)).toEqual(before);
    });

    it(`refuses when the terminal does not run the source image, even though the file matches the delta: ${E.PACKAGE_DELTA_SOURCE_MISMATCH.code}`, async () => {
      const terminal = await startTerminal();
      const before = await terminalState(terminal);
      // Same version name, other bytes: only the terminal's own hash can tell.
      const lookalike = { path: path.join(await tempDir(), 'B01-other.bin'), bytes: firmwareFor('B01') };
      await writeFile(lookalike.path, lookalike.bytes);
      const delta = await deltaPackageFile(publisher, lookalike.bytes, 'B02');
      const run = await zuc(['flash', terminal.address, delta.path, '--source', lookalike.path, '--trust', await trustDirWith(publisher)], { dataDir: await tempDir() });
      expect(run.status).toBe(2);
      expect(run.stdout).toContain(`code ${E.PACKAGE_DELTA_SOURCE_MISMATCH.code}`);
      expect(run.stdout).toContain("the terminal's running slot hashes to");
      expect(await terminalState(terminal)).toEqual(before);
    });

    it(`a --source file that does not exist: ${E.IMAGE_NOT_FOUND.code}`, async () => {
      const terminal = await startTerminal();
      const delta = await deltaPackageFile(publisher, (await runningImageFile('B01')).bytes, 'B02');
      const run = await zuc(['flash', terminal.address, delta.path, '--source', '/nonexistent/B01.bin', '--trust', await trustDirWith(publisher)], { dataDir: await tempDir() });
      expect(run.status).toBe(2);
      expect(run.stdout).toContain(`code ${E.IMAGE_NOT_FOUND.code}`);
      expect(terminal.inspect().payloadBytesReceived).toBe(0);
    });
  });

  it('lists the package options in its usage', async () => {
    const run = await zuc(['flash', 'tcp://127.0.0.1:1', 'x.zup', '--trsut', 'd'], { dataDir: await tempDir() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--trust DIR');
    expect(run.stderr).toContain('--allow-unsigned');
    expect(run.stderr).toContain('--source FILE');
  });
});
