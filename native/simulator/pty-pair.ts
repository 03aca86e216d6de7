import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { E, ZucError } from '../../electron/shared/errors';

/** How long socat may take to create both pseudo-terminals. */
export const PTY_START_TIMEOUT_MS = 5000;

/** Two kernel pseudo-terminals joined by socat: what one end writes, the other reads. */
export interface PtyPair {
  /** The end the console opens (the terminal's "serial port" as a user sees it). */
  readonly consolePath: string;
  /** The end the simulated terminal opens. */
  readonly devicePath: string;
  close(): Promise<void>;
}

/**
 * Starts `socat` with two raw PTYs linked as DIR/CONSOLE_NAME and DIR/DEVICE_NAME
 * and resolves once socat reports its transfer loop (both links exist then).
 */
export function createPtyPair(dir: string, consoleName = 'ttyZTE0', deviceName = 'ttySIM0'): Promise<PtyPair> {
  const consolePath = path.join(dir, consoleName);
  const devicePath = path.join(dir, deviceName);
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${consolePath}`, `pty,raw,echo=0,link=${devicePath}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    const fail = (why: string): void => {
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGTERM');
      reject(new ZucError(E.PORT_OPEN_FAILED, `socat could not make a PTY pair in ${dir}: ${why}`));
    };
    const timer = setTimeout(() => fail(`no transfer loop after ${PTY_START_TIMEOUT_MS} ms; ${stderr.trim()}`), PTY_START_TIMEOUT_MS);
    child.once('error', (err: NodeJS.ErrnoException) => fail(err.code === 'ENOENT' ? 'socat is not installed (apt-get install socat)' : err.message));
    child.once('exit', (code) => fail(`socat exited with ${code}; ${stderr.trim()}`));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      stderr = (stderr + text).slice(-2000);
      if (stderr.includes('starting data transfer loop')) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stderr!.removeAllListeners('data');
        child.stderr!.resume();
        resolve({ consolePath, devicePath, close: () => stopSocat(child) });
      }
    });
  });
}

function stopSocat(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
