import { receiveMessageOnPort } from 'node:worker_threads';
import { endTask, postTask, type PostedTask } from './delta-worker-client';
import { SIGNAL, TASK_STATE, waitUntil, type SortReply } from './delta-worker-protocol';
import { buildSuffixArray } from './suffix-array';

/**
 * The suffix sort of a large old image in two parts at once: the first part
 * in the codec's worker thread (delta-worker-client.ts), the second in the
 * calling thread. The sort is most of a suffix-array diff's time in
 * JavaScript; two halves also sort faster than the whole even one after the
 * other (esbuild's 10 MB: 2.6 s whole, 1.9 s as two halves), because each
 * half's text and array stay closer to the cache.
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

/** Posts the sort of `text` to the codec's worker; undefined when there is none. */
function startWorkerSort(text: Uint8Array): PostedTask | undefined {
  const shared = new SharedArrayBuffer(text.length);
  new Uint8Array(shared).set(text);
  return postTask((signal, reply) => ({ kind: 'sort', text: shared, textBytes: text.length, signal, reply }));
}

/** The worker's suffix array, or undefined when it failed or took too long (then the caller sorts the part itself). */
function finishWorkerSort(task: PostedTask, ownSortMs: number): Int32Array | undefined {
  const { words, replies } = task;
  const state = (): number => Atomics.load(words, SIGNAL.STATE);
  const started = waitUntil(words, () => state() !== TASK_STATE.PENDING, performance.now() + WORKER_START_TIMEOUT_MS);
  const done = started && waitUntil(words, () => state() === TASK_STATE.DONE, performance.now() + WORKER_SORT_GRACE_MS + 10 * ownSortMs);
  const reply = done ? (receiveMessageOnPort(replies)?.message as SortReply | undefined) : undefined;
  const sa = reply && 'sa' in reply ? reply.sa : undefined;
  endTask(task, !sa);
  return sa;
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
