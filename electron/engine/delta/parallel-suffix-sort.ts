import { receiveMessageOnPort } from 'node:worker_threads';
import { codecModule, outOfMemory, sortAt, type CodecWasm } from './codec-wasm-instance';
import { cancelWarmUp, endTask, postTask, type PostedTask } from './delta-worker-client';
import { cancelTask, SIGNAL, TASK_STATE, waitUntil, type SuffixSortReply } from './delta-worker-protocol';
import { MATCH_PROBE_LIMIT_BYTES } from './match';

/**
 * The suffix sort of a large old image in two overlapping parts at once:
 * the first, [0, half + MATCH_PROBE_LIMIT_BYTES), by the codec's worker
 * thread, the second, [half, n), by the caller (`half` a little below n/2),
 * both in the caller's shared WebAssembly memory, where the old image
 * already is. The sort is most of a suffix-array diff's time. Every match of
 * up to the probe limit that starts in the first part below `half` lies
 * wholly inside it, so the scan, which searches both arrays
 * (assembly/scan.ts), finds matches as long as one array of the whole image
 * gives.
 */

/**
 * Below this the worker's start and the second search per probe cost more
 * than half a sort saves. Measured in fresh processes (bundled, medians of
 * 7): ovmf-code (3.7 MB) 373 → 525 ms and rollup (2.5 MB) 303 → 340 ms with
 * two parts; libcrypto (4.7 MB) 523 → 456 ms, esbuild (10 MB) 1254 → 804 ms.
 */
export const PARALLEL_SORT_MIN_BYTES = 4 << 20;
/**
 * The caller's part is this much larger than the worker's: the worker starts
 * sorting 50–90 ms after the caller in a fresh process (its thread starts,
 * its module loads), about the sort of 1 MB. Fixed, not chosen by whether a
 * worker is running, so that a diff's patch never depends on thread timing.
 * esbuild: 861 → 804 ms (medians of 7) against equal halves.
 */
const WORKER_HEAD_START_BYTES = 512 << 10;
/**
 * A started worker is given up after ten times the caller's own sort time
 * and this. A dead worker (killed for memory, say) cannot tell a caller
 * blocked in Atomics.wait, so this is what it costs a diff.
 */
const WORKER_SORT_GRACE_MS = 3_000;

/** Where the sorted parts are in the instance's memory (size2 0: one part). */
export interface SortedParts {
  sa1: number;
  size1: number;
  sa2: number;
  offset2: number;
  size2: number;
  /** Who sorted the first part: 'caller' also when the worker could not be used, or failed, or had not started by the time the caller was done. */
  firstSortedBy: 'worker' | 'caller';
}

export interface PartsOptions {
  /** false: one part; true: two whatever the size. Default: two from PARALLEL_SORT_MIN_BYTES on. */
  parallel?: boolean;
  /** false: the caller sorts both parts (the fallback when no worker answers). */
  worker?: boolean;
}

/**
 * Scratch of a sort of n bytes besides its array: one bit of type flags per
 * byte and the bucket tables; a recursion's fits inside the array on
 * binaries. The margin covers texts where it does not quite; a sort that
 * outgrows the arena fails, and the caller sorts that part itself.
 */
function arenaBytes(n: number): number {
  return Math.ceil(n / 8) + Math.ceil(n / 16) + (1 << 20);
}

/** Posts the first part's sort to the worker; undefined when there is none. */
function startWorkerSort(wasm: CodecWasm, at: number, sa: number, size: number): PostedTask | undefined {
  const bytes = arenaBytes(size);
  const arena = wasm.allocate(bytes);
  if (!arena) throw outOfMemory(`the suffix sort of a ${size}-byte part`);
  const warmUpAfter = cancelWarmUp();
  return postTask((signal, reply) => ({
    kind: 'suffix-sort',
    module: codecModule(),
    memory: wasm.memory,
    text: at,
    size,
    sa,
    arena,
    arenaEnd: arena + bytes,
    warmUpAfter,
    signal,
    reply,
  }));
}

/** Whether the worker sorted its part; false when it failed, stalled, or had not started (then it never will). */
function workerSorted(task: PostedTask, ownSortMs: number): boolean {
  const { words, replies } = task;
  if (cancelTask(words)) {
    task.replies.close();
    return false;
  }
  const done = waitUntil(words, () => Atomics.load(words, SIGNAL.STATE) === TASK_STATE.DONE, performance.now() + WORKER_SORT_GRACE_MS + 10 * ownSortMs);
  const reply = done ? (receiveMessageOnPort(replies)?.message as SuffixSortReply | undefined) : undefined;
  const sorted = reply !== undefined && 'sorted' in reply;
  endTask(task, !sorted);
  return sorted;
}

/** Sorts the suffixes of the n bytes at `at` in one part or two (see above). */
export function sortInParts(wasm: CodecWasm, at: number, n: number, options: PartsOptions = {}): SortedParts {
  const half = (n >>> 1) - (n >= PARALLEL_SORT_MIN_BYTES ? WORKER_HEAD_START_BYTES : 0);
  if (!(options.parallel ?? n >= PARALLEL_SORT_MIN_BYTES) || half <= MATCH_PROBE_LIMIT_BYTES) {
    return { sa1: sortAt(wasm, at, n), size1: n, sa2: 0, offset2: 0, size2: 0, firstSortedBy: 'caller' };
  }
  const size1 = half + MATCH_PROBE_LIMIT_BYTES;
  const size2 = n - half;
  const sa1 = wasm.allocate(4 * size1);
  if (!sa1) throw outOfMemory(`the suffix sort of a ${n}-byte image`);
  const task = options.worker === false ? undefined : startWorkerSort(wasm, at, sa1, size1);
  const started = performance.now();
  const sa2 = sortAt(wasm, at + half, size2);
  const parts = { sa1, size1, sa2, offset2: half, size2, firstSortedBy: 'worker' as const };
  if (task && workerSorted(task, performance.now() - started)) return parts;
  // A worker given up may still be writing its array: then the caller's goes elsewhere. A text has one suffix array.
  if (task) return { ...parts, sa1: sortAt(wasm, at, size1), firstSortedBy: 'caller' };
  if (!wasm.sort(at, sa1, size1)) throw outOfMemory(`the suffix sort of a ${n}-byte image`);
  return { ...parts, firstSortedBy: 'caller' };
}
