import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type WorkerOptions } from 'node:worker_threads';
import { buildSuffixArray } from './suffix-array';
import { SORT_STATE, type SuffixSortReply, type SuffixSortRequest } from './suffix-sort-protocol';

/**
 * The suffix sort of a large old image in two parts at once: the first part
 * in a worker thread, the second in the calling thread. The sort is most of
 * a suffix-array diff's time in JavaScript; two halves also sort faster than
 * the whole even one after the other (esbuild's 10 MB: 2.6 s whole, 1.9 s as
 * two halves), because each half's text and array stay closer to the cache.
 *
 * The first part runs `overlap` bytes past the second's start, so every
 * match of up to `overlap` bytes (the probe limit) starting in the first part
 * lies wholly inside it: searching both arrays finds exactly the longest
 * match a single array would. The caller stays synchronous (createDelta is):
 * it blocks in Atomics.wait for the worker's reply instead of awaiting it.
 */

/** One sorted part: suffix array of `text`, which starts at `offset` in the old image. */
export interface SuffixArrayPart {
  offset: number;
  text: Uint8Array;
  sa: Int32Array;
  /** Where it was sorted: 'caller' when no worker could be used (or it failed), so the diff still completes. */
  sortedBy: 'worker' | 'caller';
}

/**
 * Below this the split costs more than it saves: every search of the scan
 * then asks two arrays instead of one. Measured on the corpus: rollup
 * (2.5 MB) sorted 0.45 → 0.41–0.46 s but scanned 0.24 → 0.39 s; libcrypto
 * (4.7 MB) sorted 0.95 → 0.63 s and scanned 0.18 → 0.23 s.
 */
export const PARALLEL_SORT_MIN_BYTES = 4 << 20;
/** A worker that has not run its first line by then is given up (tsx compiling the sources on a loaded machine takes a second or two). */
const WORKER_START_TIMEOUT_MS = 20_000;
/** Added to ten times the calling thread's own sort time before a started worker is given up (killed for memory, say). */
const WORKER_SORT_GRACE_MS = 30_000;

export interface ParallelSortOptions {
  /** false: sort in the calling thread only (one part). Default: a worker for images of PARALLEL_SORT_MIN_BYTES and more. */
  parallel?: boolean;
}

type WorkerStart = (options: WorkerOptions) => Worker;

/**
 * How to start the worker entry beside this module, with this module's
 * extension: the `.mjs` built next to a bundle (bench/delta), or the
 * TypeScript source when running from sources (tsx, vitest). Undefined where
 * there is none (a bundle built without it): then the sort runs in one thread.
 */
function workerStart(): WorkerStart | undefined {
  let here: string;
  try {
    here = fileURLToPath(import.meta.url);
  } catch {
    return undefined;
  }
  const ext = path.extname(here);
  const file = path.join(path.dirname(here), `suffix-sort-worker${ext}`);
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

interface PendingSort {
  worker: Worker;
  state: Int32Array;
  receive: MessageChannel['port1'];
}

function startWorkerSort(text: Uint8Array): PendingSort | undefined {
  const start = workerStart();
  if (!start) return undefined;
  const shared = new SharedArrayBuffer(text.length);
  new Uint8Array(shared).set(text);
  const stateBuffer = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const request: SuffixSortRequest = { text: shared, textBytes: text.length, state: stateBuffer, port: port2 };
  let worker: Worker;
  try {
    worker = start({ workerData: request, transferList: [port2] });
  } catch {
    port1.close();
    return undefined;
  }
  // A worker that fails to load reports it as an event this blocked thread would only see later; the timeouts cover it.
  worker.on('error', () => undefined);
  worker.unref();
  return { worker, state: new Int32Array(stateBuffer), receive: port1 };
}

/** The worker's suffix array, or undefined when it failed or took too long (then the caller sorts the part itself). */
function finishWorkerSort(pending: PendingSort, ownSortMs: number): Int32Array | undefined {
  const { worker, state, receive } = pending;
  Atomics.wait(state, 0, SORT_STATE.PENDING, WORKER_START_TIMEOUT_MS);
  const sortDeadline = performance.now() + WORKER_SORT_GRACE_MS + 10 * ownSortMs;
  for (let s = Atomics.load(state, 0); s === SORT_STATE.STARTED; s = Atomics.load(state, 0)) {
    const left = sortDeadline - performance.now();
    if (left <= 0) break;
    Atomics.wait(state, 0, SORT_STATE.STARTED, left);
  }
  const reply = Atomics.load(state, 0) === SORT_STATE.DONE ? (receiveMessageOnPort(receive)?.message as SuffixSortReply | undefined) : undefined;
  receive.close();
  if (!reply || !('sa' in reply)) {
    void worker.terminate().catch(() => undefined);
    return undefined;
  }
  return reply.sa;
}

/** Suffix arrays covering every position of `old`, in one part or two (see above). */
export function sortSuffixesInParts(old: Uint8Array, overlap: number, options: ParallelSortOptions = {}): SuffixArrayPart[] {
  const n = old.length;
  const parallel = options.parallel ?? n >= PARALLEL_SORT_MIN_BYTES;
  const half = n >>> 1;
  if (!parallel || half <= overlap) return [{ offset: 0, text: old, sa: buildSuffixArray(old), sortedBy: 'caller' }];
  const first = old.subarray(0, Math.min(n, half + overlap));
  const second = old.subarray(half);
  const pending = startWorkerSort(first);
  if (!pending) return [{ offset: 0, text: old, sa: buildSuffixArray(old), sortedBy: 'caller' }];
  const started = performance.now();
  const secondSa = buildSuffixArray(second);
  const fromWorker = finishWorkerSort(pending, performance.now() - started);
  return [
    fromWorker ? { offset: 0, text: first, sa: fromWorker, sortedBy: 'worker' } : { offset: 0, text: first, sa: buildSuffixArray(first), sortedBy: 'caller' },
    { offset: half, text: second, sa: secondSa, sortedBy: 'caller' },
  ];
}
