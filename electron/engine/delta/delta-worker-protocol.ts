import type { MessagePort } from 'node:worker_threads';

/**
 * What the codec's worker thread (delta-worker.ts) is asked to do, one task
 * at a time, posted to it by delta-worker-client.ts. Inputs travel in shared
 * memory (the worker reads them where they are); replies come on the task's
 * own port, read with receiveMessageOnPort, because the asking thread blocks
 * in Atomics.wait on the task's signal words and runs no event loop.
 */
export type DeltaTask = WarmUpTask | SuffixSortTask | Bzip2BlocksTask;

/** Run the bzip2 encoder once on made-up data, so its code is compiled before the first real block (delta-worker-client.ts). */
export interface WarmUpTask {
  kind: 'warm-up';
  signal: SharedArrayBuffer;
  reply: MessagePort;
}

/**
 * The suffix sort of the first part of a large old image (parallel-suffix-sort.ts), in the asking
 * thread's own WebAssembly memory: the worker instantiates the same compiled module over it, sorts the
 * `size` bytes at `text` into the array at `sa`, and takes its scratch memory only from [arena, arenaEnd),
 * which the asking thread reserved for it.
 */
export interface SuffixSortTask {
  kind: 'suffix-sort';
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  text: number;
  size: number;
  sa: number;
  arena: number;
  arenaEnd: number;
  /** Run the bzip2 warm-up after the sort (the asking thread cancelled the one it had posted, so the sort would not wait for it). */
  warmUpAfter: boolean;
  signal: SharedArrayBuffer;
  reply: MessagePort;
}

/** The one reply to a suffix-sort task. */
export type SuffixSortReply = { sorted: true } | { error: string };

/**
 * bzip2 blocks of one stream (parallel-bzip2.ts): the worker runs the first
 * stage (which decides where blocks start; deterministic, so the asking
 * thread gets the same blocks if it runs it too), publishes the block count,
 * and the worker and the asking thread take block numbers from the same
 * counter (SIGNAL.NEXT_BLOCK) until none is left.
 */
export interface Bzip2BlocksTask {
  kind: 'bzip2-blocks';
  /** The stream to compress: dataBytes bytes at dataOffset of shared memory. */
  data: SharedArrayBuffer;
  dataOffset: number;
  dataBytes: number;
  level: number;
  signal: SharedArrayBuffer;
  reply: MessagePort;
}

/** One reply per block the worker took, then none: the signal words say when it has stopped. */
export type Bzip2BlockReply = { index: number; bytes: Uint8Array; bitLength: number; crc: number } | { error: string };

/** Indices of a task's signal words. */
export const SIGNAL = {
  /** Bumped (and notified) after every change of the others, so a waiting thread never misses one. */
  EVENTS: 0,
  STATE: 1,
  /** bzip2-blocks: the next block number to take (Atomics.add). */
  NEXT_BLOCK: 2,
  /** bzip2-blocks: blocks the worker has finished and replied. */
  BLOCKS_DONE: 3,
  /** bzip2-blocks: the stream's block count plus one, once the worker knows it (0 until then). */
  BLOCK_COUNT: 4,
} as const;
export const SIGNAL_WORDS = 5;

export const TASK_STATE = {
  /** Set by the asking thread; the worker has not taken the task yet (it may still be starting). */
  PENDING: 0,
  STARTED: 1,
  /** The worker has stopped working on the task: every reply is on the port. */
  DONE: 2,
  /** Set by the asking thread in place of PENDING (compare-and-exchange): the worker skips the task. */
  CANCELLED: 3,
} as const;

/** The worker's claim of a task: false when the asking thread cancelled it first. */
export function claimTask(words: Int32Array): boolean {
  if (Atomics.compareExchange(words, SIGNAL.STATE, TASK_STATE.PENDING, TASK_STATE.STARTED) !== TASK_STATE.PENDING) return false;
  signal(words, SIGNAL.STATE, TASK_STATE.STARTED);
  return true;
}

/** The asking thread's cancellation of a task the worker has not started: false when it has. */
export function cancelTask(words: Int32Array): boolean {
  return Atomics.compareExchange(words, SIGNAL.STATE, TASK_STATE.PENDING, TASK_STATE.CANCELLED) === TASK_STATE.PENDING;
}

export function newSignal(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(SIGNAL_WORDS * Int32Array.BYTES_PER_ELEMENT));
}

/** Stores `value` at `index` (or adds it, for counters), then wakes the waiting thread. */
export function signal(words: Int32Array, index: number, value: number, mode: 'store' | 'add' = 'store'): void {
  if (mode === 'add') Atomics.add(words, index, value);
  else Atomics.store(words, index, value);
  Atomics.add(words, SIGNAL.EVENTS, 1);
  Atomics.notify(words, SIGNAL.EVENTS);
}

/** Blocks until `done()` holds or `deadline` (performance.now() ms) passes; true when it holds. */
export function waitUntil(words: Int32Array, done: () => boolean, deadline: number): boolean {
  for (;;) {
    const seen = Atomics.load(words, SIGNAL.EVENTS);
    if (done()) return true;
    const left = deadline - performance.now();
    if (left <= 0) return false;
    Atomics.wait(words, SIGNAL.EVENTS, seen, left);
  }
}
