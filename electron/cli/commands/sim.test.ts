import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFirmwareHeader } from '../../../native/firmware';
import { connectAgent } from '../../../native/protocol/agent';
import type { CliContext } from '../command';
import { runCli } from '../run-cli';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zuc-sim-cli-'));
  dirs.push(dir);
  return dir;
}

/** A CLI context whose output is captured and whose Ctrl-C the test presses. */
function captured(cwd: string) {
  let out = '';
  let err = '';
  let press!: () => void;
  const interrupted = new Promise<void>((resolve) => (press = resolve));
  const ctx: CliContext = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env: {},
    cwd,
    interrupted,
  };
  return { ctx, out: () => out, err: () => err, press };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('zuc sim', () => {
  it('start prints one reachable address per terminal and stops cleanly on Ctrl-C', async () => {
    const dir = await tempDir();
    const cli = captured(dir);
    const status = runCli(['sim', 'start', '--terminals', '2', '--state', 'fleet', '--boot-ms', '50', '--version', 'B05', '--fault', '2:boot-fail'], cli.ctx);
    await until(() => cli.out().split('\n').length === 3, 'two addresses');
    const addresses = cli.out().trim().split('\n');
    expect(addresses).toHaveLength(2);
    for (const address of addresses) {
      expect(address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
      const driver = await connectAgent(address);
      expect(await driver.identify()).toMatchObject({ model: 'MF286D', firmwareVersion: 'B05', activeSlot: 'a' });
      await driver.close();
    }
    cli.press();
    expect(await status).toBe(0);
    const state = JSON.parse(await readFile(path.join(dir, 'fleet', 'terminal-2', 'state.json'), 'utf8'));
    expect(state.log.some((l: string) => /faults boot-fail/.test(l))).toBe(true);
    expect(state.log.at(-1)).toMatch(/power off/);
  });

  it('start refuses bad arguments with exit status 2 and a catalogued code', async () => {
    const dir = await tempDir();
    for (const args of [['--terminals', '0'], ['--transport', 'usb'], ['--fault', 'explode'], ['--fault', '3:boot-fail', '--terminals', '2'], ['--bogus']]) {
      const cli = captured(dir);
      expect(await runCli(['sim', 'start', ...args], cli.ctx), args.join(' ')).toBe(2);
      expect(cli.err()).toMatch(/ZUC-1013/);
    }
  });

  it('image writes a firmware image whose header names model, hardware revision and version', async () => {
    const dir = await tempDir();
    const cli = captured(dir);
    expect(await runCli(['sim', 'image', '--model', 'MF286D', '--hw', 'V1.0', '--version', 'B02', '--size', '5000', '--out', 'b02.bin'], cli.ctx)).toBe(0);
    const bytes = new Uint8Array(await readFile(path.join(dir, 'b02.bin')));
    expect(bytes.length).toBe(5128);
    expect(parseFirmwareHeader(bytes)).toMatchObject({ model: 'MF286D', hwRevision: 'V1.0', version: 'B02', payloadLength: 5000 });
    const missing = captured(dir);
    expect(await runCli(['sim', 'image', '--model', 'MF286D', '--out', 'x.bin'], missing.ctx)).toBe(2);
  });

  it('npx zuc sim start runs as a real process and exits 0 on Ctrl-C (SIGINT)', async () => {
    const dir = await tempDir();
    const bin = path.resolve(import.meta.dirname, '../../../bin/zuc.js');
    const child = spawn(process.execPath, [bin, 'sim', 'start', '--terminals', '1', '--boot-ms', '50', '--state', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const address = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`zuc exited with ${code} before printing an address`)));
      });
      const driver = await connectAgent(address);
      expect((await driver.identify()).activeSlot).toBe('a');
      await driver.close();
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
