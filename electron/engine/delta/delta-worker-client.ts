import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, Worker, type WorkerOptions } from 'node:worker_threads';
import { cancelTask, newSignal, SIGNAL, TASK_STATE, type DeltaTask } from './delta-worker-protocol';

/**
 * The codec's one worker thread (delta-worker.ts), shared by every task of a
 * diff: started by the first task that wants it (the suffix sort of a large
 * old image, or the bzip2 coding of a large diff stream), kept while the
 * diff goes on, so later tasks find it started, and stopped once no task
 * has come for IDLE_STOP_MS. Callers stay synchronous: they
 * post a task, work on their own share, and block in Atomics.wait for the
 * worker's (delta-worker-protocol.ts). A worker that cannot be started, or
 * fails, leaves its share to the caller: a diff never depends on it.
 */

/**
 * Stop an idle worker after this long. A diff's tasks all come within one
 * synchronous createDelta call, when no timer can fire; the margin lets the
 * next diff of a batch reuse the worker.
 */
const IDLE_STOP_MS = 2_000;

export type WorkerStart = (options: WorkerOptions) => Worker;

/**
 * How to start the worker entry beside this module, with this module's
 * extension: the `.mjs` built next to a bundle (bench/delta, the desktop
 * app), or the TypeScript source when running from sources (tsx, vitest).
 * Undefined where there is none (a bundle built without it): then callers
 * do all the work in one thread.
 */
function workerStart(): WorkerStart | undefined {
  let here: string;
  try {
    here = fileURLToPath(import.meta.url);
  } catch {
    return undefined;
  }
  const ext = path.extname(here);
  const file = path.join(path.dirname(here), `delta-worker${ext}`);
  if (!existsSync(file)) return undefined;
  if (ext !== '.ts') return (options) => new Worker(file, options);
  // From sources the worker needs tsx's loader, and on Node 20 neither a loader registered in-process (bin/zuc.js)
  // nor `--import` in the worker's execArgv reaches a worker's entry module. So its entry is this two-step shim:
  // register tsx in the worker, then import the (type-checked) worker module.
  let tsxApi: string;
  try {
    tsxApi = path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs');
  } catch {
    return undefined;
  }
  if (!existsSync(tsxApi)) return undefined;
  const shim = `import(${JSON.stringify(pathToFileURL(tsxApi).href)}).then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(file).href)}); });`;
  return (options) => new Worker(shim, { ...options, eval: true });
}

/** Set by tests: how workers start instead of from delta-worker.ts (a worker that dies in the middle of a task, say). */
let startInstead: WorkerStart | undefined;

/** Tests: start the codec worker with `start` from now on, or again from delta-worker.ts when undefined; a running one is stopped. */
export function startCodecWorkersWith(start: WorkerStart | undefined): void {
  if (running) stop(running);
  startInstead = start;
}

let running: Worker | undefined;
/** Tasks the running worker has completed: one that has is loaded and has proved it answers. */
let served = 0;
let idleStop: ReturnType<typeof setTimeout> | undefined;

function stop(worker: Worker): void {
  if (running === worker) running = undefined;
  warming = undefined;
  void worker.terminate().catch(() => undefined);
}

/** The running worker, or a new one; undefined when none can be started. */
function codecWorker(): Worker | undefined {
  if (running) return running;
  const start = startInstead ?? workerStart();
  if (!start) return undefined;
  let worker: Worker;
  try {
    worker = start({});
  } catch {
    return undefined;
  }
  // A worker that fails to load reports it as an event a blocked caller only sees later; the callers' timeouts cover it.
  worker.on('error', () => stop(worker));
  worker.on('exit', () => {
    if (running === worker) running = undefined;
  });
  worker.unref();
  running = worker;
  served = 0;
  return worker;
}

/** The warm-up task of a worker started ahead of its work, until it is seen done. */
let warming: PostedTask | undefined;

/**
 * Starts the worker ahead of the work it will be given (the bzip2 blocks of
 * a large diff stream, once the caller has sorted and scanned), and has it
 * run its encoder once on made-up data meanwhile: its start-up and its JIT's
 * warm-up then overlap the caller's work instead of delaying the pack.
 * Stopped after IDLE_STOP_MS if no task comes.
 */
export function startCodecWorker(): void {
  if (running || warming) return;
  warming = postTask((signal, reply) => ({ kind: 'warm-up', signal, reply }));
}

/**
 * Takes back the warm-up task if the worker has not started it, so that a
 * task posted now (the suffix sort) does not wait behind it; true when it
 * was taken back, and the new task should warm up after its own work.
 */
export function cancelWarmUp(): boolean {
  const task = warming;
  if (!task || !cancelTask(task.words)) return false;
  warming = undefined;
  task.replies.close();
  return true;
}

/** Whether the warm-up task has finished (then it counts as served). */
function warmedUp(): void {
  const task = warming;
  if (!task || Atomics.load(task.words, SIGNAL.STATE) !== TASK_STATE.DONE) return;
  warming = undefined;
  endTask(task);
}

/**
 * A diff is done with the worker: it stops after IDLE_STOP_MS unless the
 * next diff wants it. Without this a worker whose warm-up was never asked
 * about (a diff stream that went to brotli) would idle for good.
 */
export function releaseCodecWorker(): void {
  warmedUp();
  const worker = running;
  if (!worker || idleStop) return;
  idleStop = setTimeout(() => stop(worker), IDLE_STOP_MS);
  idleStop.unref();
}

/** Whether a worker thread is running now. */
export function codecWorkerRunning(): boolean {
  return running !== undefined;
}

/** Whether the running worker has completed a task: loaded and answering, so a task posted now starts at once. */
export function codecWorkerServed(): boolean {
  warmedUp();
  return running !== undefined && served > 0;
}

/** A task on its way: its signal words and the port its replies come on. */
export interface PostedTask {
  words: Int32Array;
  replies: MessagePort;
}

/** Posts a task built around fresh signal words and a reply port; undefined when no worker can take it. */
export function postTask(build: (signal: SharedArrayBuffer, reply: MessagePort) => DeltaTask): PostedTask | undefined {
  const worker = codecWorker();
  if (!worker) return undefined;
  if (idleStop) clearTimeout(idleStop);
  idleStop = undefined;
  const words = newSignal();
  const { port1, port2 } = new MessageChannel();
  try {
    worker.postMessage(build(words.buffer as SharedArrayBuffer, port2), [port2]);
  } catch {
    port1.close();
    stop(worker);
    return undefined;
  }
  return { words, replies: port1 };
}

/**
 * Done with a task. `failed`: the worker did not answer in time or broke its
 * protocol, and is stopped (a later task starts a new one); else it is kept
 * for the next task until it has idled IDLE_STOP_MS.
 */
export function endTask(task: PostedTask, failed = false): void {
  task.replies.close();
  const worker = running;
  if (!worker) return;
  if (failed) {
    stop(worker);
    return;
  }
  served++;
  if (idleStop) clearTimeout(idleStop);
  idleStop = setTimeout(() => stop(worker), IDLE_STOP_MS);
  idleStop.unref();
}
