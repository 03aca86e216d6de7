import { spawn } from 'node:child_process';
import path from 'node:path';
import type { CliContext } from '../command';
import { runCli } from '../run-cli';

/** Root of the repository, where bin/zuc.js lives. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `zuc ARGS` in this process with captured output, the way a shell would see it. */
export async function zuc(args: string[], options: { dataDir: string; tty?: boolean; cwd?: string }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    stdout: { write: (t: string) => (stdout += t), isTTY: options.tty ?? false },
    stderr: { write: (t: string) => (stderr += t), isTTY: options.tty ?? false },
    env: { ZUC_DATA_DIR: options.dataDir },
    cwd: options.cwd ?? REPO_ROOT,
    interrupted: new Promise<void>(() => undefined),
  };
  const status = await runCli(args, ctx);
  return { status, stdout, stderr };
}

/** Runs `node bin/zuc.js ARGS` as its own process, as a technician would. */
export function zucProcess(args: string[], dataDir: string, onStderr?: (text: string, kill: () => void, interrupt: () => void) => void): Promise<CliRun & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/zuc.js'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ZUC_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr?.(stderr, () => child.kill('SIGKILL'), () => child.kill('SIGINT'));
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ status: code ?? -1, signal, stdout, stderr }));
  });
}
