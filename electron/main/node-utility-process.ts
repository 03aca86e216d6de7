import { fork, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';
import type { UtilityChildPort, UtilityProcessPort } from './electron-ports';

const BOOTSTRAP = path.join(import.meta.dirname, 'node-utility-bootstrap.ts');

/**
 * Electron's utilityProcess.fork made of a plain Node child process, for
 * tests and tools where no Electron runtime exists: a real separate
 * process with its own pid, that can really crash, running the real entry
 * (TypeScript, through tsx) behind an emulated `process.parentPort`.
 */
export class NodeUtilityProcess implements UtilityProcessPort {
  readonly children: NodeUtilityChild[] = [];
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  fork(modulePath: string, args: string[] = []): NodeUtilityChild {
    const child = fork(BOOTSTRAP, [modulePath, ...args], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: this.env,
    });
    const port = new NodeUtilityChild(child);
    this.children.push(port);
    return port;
  }
}

export class NodeUtilityChild implements UtilityChildPort {
  constructor(readonly process: ChildProcess) {}

  get pid(): number | undefined {
    return this.process.exitCode === null && this.process.signalCode === null ? this.process.pid : undefined;
  }

  postMessage(message: unknown): void {
    if (this.process.connected) this.process.send(message as never);
  }

  kill(): boolean {
    return this.process.kill('SIGTERM');
  }

  on(event: 'message', listener: (message: unknown) => void): this;
  on(event: 'exit', listener: (code: number) => void): this;
  on(event: 'message' | 'exit', listener: ((message: unknown) => void) | ((code: number) => void)): this {
    if (event === 'message') this.process.on('message', listener as (message: unknown) => void);
    // Like Electron: one exit code, a signal shown the POSIX way (128 + number).
    else this.process.on('exit', (code, signal) => (listener as (code: number) => void)(code ?? 128 + (signal ? constants.signals[signal] : 0)));
    return this;
  }
}
