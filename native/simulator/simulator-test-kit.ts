import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { connectAgent } from '../protocol/agent';
import type { TerminalDriver } from '../terminal/terminal-driver';
import { startSimulatedTerminal, type RunningTerminal, type SimulatedTerminalOptions } from './index';

/** Shared by the simulator's tests: real terminals in temp folders, cleaned up after each test. */
export const BOOT_MS = 100;
export const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zuc-sim-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function start(options: Partial<SimulatedTerminalOptions> = {}): Promise<RunningTerminal> {
  const terminal = await startSimulatedTerminal({ stateDir: await tempDir(), bootMs: BOOT_MS, ...options });
  cleanups.push(() => terminal.close());
  return terminal;
}

export async function connect(address: string): Promise<TerminalDriver> {
  const driver = await connectAgent(address);
  cleanups.push(() => driver.close());
  return driver;
}

/** What the engine does after a reboot: reconnect until the terminal identifies again. */
export async function reconnect(address: string): Promise<TerminalDriver> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    let driver: TerminalDriver | undefined;
    try {
      driver = await connectAgent(address);
      await driver.identify();
      cleanups.push(() => driver!.close());
      return driver;
    } catch (err) {
      await driver?.close();
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');


/** The catalogued code a promise rejects with, or undefined when it resolves. */
export async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}
