import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFirmwareHeader } from '../../../native/firmware';
import { connectAgent, FAST_LINK_CHUNK_BYTES } from '../../../native/protocol/agent';
import { buildTestFirmware, startSimulatedTerminal } from '../../../native/simulator';
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

/** `npx zuc sim start ARGS` as its own process. */
function spawnSim(args: string[]): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, [path.resolve(import.meta.dirname, '../../../bin/zuc.js'), 'sim', 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The first address a started simulator prints. */
function firstAddress(child: ChildProcessByStdio<null, Readable, Readable>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`zuc exited with ${code} before printing an address`)));
  });
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
    const child = spawnSim(['--terminals', '1', '--boot-ms', '50', '--state', dir]);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const address = await firstAddress(child);
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

describe('zuc sim start: protocol v2 fleets', () => {
  async function addresses(cli: ReturnType<typeof captured>, n: number): Promise<string[]> {
    await until(() => cli.out().split('\n').length === n + 1, `${n} addresses`);
    return cli.out().trim().split('\n');
  }

  it('mixes models, hardware and versions across terminals, single-slot, paced, with per-terminal faults', async () => {
    const dir = await tempDir();
    const cli = captured(dir);
    const status = runCli(
      ['sim', 'start', '--terminals', '3', '--state', 'fleet', '--boot-ms', '50', '--model', 'MF286D,MC801A', '--hw', 'V1.0,V2.1', '--version', 'B05,B06,B07', '--link-speed', '50kB/s', '--fault', '3:no-delta'],
      cli.ctx,
    );
    const [a1, a2, a3] = await addresses(cli, 3);
    const ids = [];
    for (const address of [a1!, a2!, a3!]) {
      const driver = await connectAgent(address);
      ids.push(await driver.identify());
      await driver.close();
    }
    expect(ids.map((i) => [i.model, i.hwRevision, i.firmwareVersion])).toEqual([
      ['MF286D', 'V1.0', 'B05'],
      ['MC801A', 'V2.1', 'B06'],
      ['MF286D', 'V1.0', 'B07'],
    ]);
    expect(ids.map((i) => i.capabilities?.delta)).toEqual([true, true, false]);
    // 25 kB at 50 kB/s take half a second on the paced link.
    const paced = await connectAgent(a1!);
    const t0 = Date.now();
    await paced.readSlot!('a', 25_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    await paced.close();
    cli.press();
    expect(await status).toBe(0);

    const single = captured(dir);
    const status2 = runCli(['sim', 'start', '--terminals', '2', '--boot-ms', '50', '--single-slot', '--fault', '2:disconnect@50%'], single.ctx);
    const [s1] = await addresses(single, 2);
    const driver = await connectAgent(s1!);
    expect((await driver.identify()).capabilities).toMatchObject({ slots: 1, resume: true, readSlot: true });
    await driver.close();
    single.press();
    expect(await status2).toBe(0);
  });

  it('--image puts that firmware in the active slot; --fault old-agent starts a v1 terminal', async () => {
    const dir = await tempDir();
    const make = captured(dir);
    expect(await runCli(['sim', 'image', '--model', 'MC801A', '--hw', 'V3', '--version', 'B09', '--size', '20000', '--out', 'b09.bin'], make.ctx)).toBe(0);
    const image = new Uint8Array(await readFile(path.join(dir, 'b09.bin')));
    const cli = captured(dir);
    const status = runCli(['sim', 'start', '--terminals', '2', '--boot-ms', '50', '--image', 'b09.bin', '--fault', '2:old-agent'], cli.ctx);
    const [first, second] = await addresses(cli, 2);
    const d1 = await connectAgent(first!);
    expect(await d1.identify()).toMatchObject({ model: 'MC801A', hwRevision: 'V3', firmwareVersion: 'B09', agentVersion: 2 });
    expect(Buffer.from(await d1.readSlot!('a', image.length)).equals(Buffer.from(image))).toBe(true);
    await d1.close();
    const d2 = await connectAgent(second!);
    expect(await d2.identify()).toMatchObject({ model: 'MC801A', agentVersion: 1, capabilities: { resume: false, delta: false } });
    await d2.close();
    cli.press();
    expect(await status).toBe(0);
  });

  it('refuses bad v2 flags with exit status 2', async () => {
    const dir = await tempDir();
    await runCli(['sim', 'image', '--model', 'MF286D', '--hw', 'V1.0', '--version', 'B01', '--size', '100', '--out', 'x.bin'], captured(dir).ctx);
    for (const args of [
      ['--link-speed', 'fast'],
      ['--link-speed', '0B/s'],
      ['--model', 'A,,B'],
      ['--fault', 'disconnect@150%'],
      ['--image', 'x.bin', '--model', 'MC801A'],
      ['--single-slot', '--fault', 'old-agent'],
    ]) {
      const cli = captured(dir);
      expect(await runCli(['sim', 'start', ...args], cli.ctx), args.join(' ')).toBe(2);
      expect(cli.err()).toMatch(/ZUC-1013/);
    }
    const missing = captured(dir);
    expect(await runCli(['sim', 'start', '--image', 'nope.bin'], missing.ctx)).not.toBe(0);
    expect(missing.err()).toMatch(/nope\.bin/);
  });
});

describe('zuc sim start: a terminal that dies mid-write', () => {
  it('resumes after SIGKILL from the last checkpointed offset kept in its state', async () => {
    const dir = await tempDir();
    const child = spawnSim(['--boot-ms', '50', '--state', dir, '--link-speed', '2MB/s']);
    const image = buildTestFirmware({ model: 'MF286D', hwRevision: 'V1.0', version: 'B02', payloadBytes: 3_500_000 });
    let lastSeen = 0;
    try {
      const address = await firstAddress(child);
      const driver = await connectAgent(address);
      const write = driver.writeSlot('b', image, {
        resume: true,
        onProgress: (n) => {
          lastSeen = n;
          // Halfway between the checkpoints at the chunks crossing 2 MiB and 3 MiB (saved beside the writes, not before the ack).
          if (n >= 2_650_000 && child.exitCode === null) child.kill('SIGKILL');
        },
      });
      await expect(write).rejects.toMatchObject({ code: 'ZUC-2002' });
      await driver.close();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }

    const terminal = await startSimulatedTerminal({ stateDir: path.join(dir, 'terminal-1'), bootMs: 50 });
    try {
      const driver = await connectAgent(terminal.address);
      const progress: number[] = [];
      await driver.writeSlot('b', image, { resume: true, onProgress: (n) => progress.push(n) });
      // The checkpoint names the end of the chunk that crossed 2 MiB (TCP chunks are FAST_LINK_CHUNK_BYTES).
      const checkpoint = Math.ceil((2 * 1024 * 1024) / FAST_LINK_CHUNK_BYTES) * FAST_LINK_CHUNK_BYTES;
      expect(progress[0]).toBe(checkpoint);
      expect(progress[0]).toBeLessThanOrEqual(lastSeen);
      expect(terminal.inspect().payloadBytesReceived).toBe(image.length - checkpoint);
      expect(createHash('sha256').update(await terminal.readSlot('b')).digest('hex')).toBe(createHash('sha256').update(image).digest('hex'));
      await driver.close();
    } finally {
      await terminal.close();
    }
  }, 20_000);
});
