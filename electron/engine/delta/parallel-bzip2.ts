import { receiveMessageOnPort } from 'node:worker_threads';
import { bzip2, encodeBlock, firstStage, joinBlocks, type EncodedBlock, type FirstStage } from './bzip2-encode';
import { codecWorkerServed, endTask, postTask, type PostedTask } from './delta-worker-client';
import { SIGNAL, TASK_STATE, waitUntil, type Bzip2BlockReply } from './delta-worker-protocol';

/**
 * bzip2 on two cores: after the first stage (the run-length code, which
 * decides where blocks start) the blocks are independent, so the codec's
 * worker and the calling thread take block numbers from one shared counter
 * until none is left, and the caller joins all blocks in order into the very
 * stream bzip2() writes. The stream of a large diff (esbuild's 10 MB,
 * libcrypto's 4.7 MB) is most of a diff's packing time.
 */

/**
 * A stream of this size is worth starting a worker of its own for. Measured
 * in a fresh process (bundled): the worker's start and its cold JIT cost
 * more than the blocks it took of libcrypto's 4.7 MB diff stream (12
 * blocks: 529–612 ms against 288–438 ms in one thread, the other core busy).
 * A frame's diff stream is at most 8 MiB, so in a diff only a worker that
 * has served a task (its warm-up, started with the diff) encodes blocks.
 */
export const FRESH_WORKER_MIN_BYTES = 16 << 20;
/** Less input than one block's size makes two blocks at most (the first stage grows a run of four by a fifth): not worth a message. */
const WORKER_MIN_BYTES_PER_LEVEL = 100_000;
/** A worker left the stream that finishes no block for this long is left behind: the caller takes the blocks it has not taken. */
const WORKER_STALL_MS = 1_000;
/**
 * Added to ten times the caller's slowest block: a worker that finishes no
 * block for that long is given up and the caller encodes its blocks. A dead
 * worker (killed for memory, say) cannot tell a caller blocked in
 * Atomics.wait, so this is what it costs a diff.
 */
const WORKER_BLOCK_GRACE_MS = 3_000;

export interface Bzip2Options {
  /** false: one thread; true: the worker, whatever the size. Default: see FRESH_WORKER_MIN_BYTES. */
  parallel?: boolean;
}

export interface ParallelBzip2Result {
  packed: Uint8Array;
  /** Blocks the worker encoded (0 when it was not used, not started in time, or failed). */
  blocksByWorker: number;
}

/**
 * Posts the stream to the codec's worker; undefined when there is none. A
 * diff stream already lives in shared memory (the scan's WebAssembly memory,
 * delta-scan.ts) and goes as it is; any other stream is copied there first.
 */
function startWorkerBlocks(data: Uint8Array, level: number): PostedTask | undefined {
  let shared = data;
  if (!(data.buffer instanceof SharedArrayBuffer)) {
    shared = new Uint8Array(new SharedArrayBuffer(data.length));
    shared.set(data);
  }
  const where = { data: shared.buffer as SharedArrayBuffer, dataOffset: shared.byteOffset, dataBytes: shared.length };
  return postTask((signal, reply) => ({ kind: 'bzip2-blocks', ...where, level, signal, reply }));
}

/** A stream being encoded: finish() returns it, doing whatever part the worker has not done. */
export interface PendingBzip2 {
  finish(): ParallelBzip2Result;
}

function inOneThread(data: Uint8Array, level: number): ParallelBzip2Result {
  return { packed: bzip2(data, level), blocksByWorker: 0 };
}

/**
 * Starts bzip2(data, level): a worker that has served a task gets the whole
 * stream here, first stage and blocks, so the caller can do other work
 * (native work: brotli, hashes) before finish() collects the blocks; a new
 * one gets its share of the blocks in finish().
 */
export function beginBzip2(data: Uint8Array, level: number, options: Bzip2Options = {}): PendingBzip2 {
  const served = codecWorkerServed();
  const wanted = options.parallel ?? (data.length >= WORKER_MIN_BYTES_PER_LEVEL * level && (served || data.length >= FRESH_WORKER_MIN_BYTES));
  if (!wanted) return { finish: () => inOneThread(data, level) };
  if (served) {
    const task = startWorkerBlocks(data, level);
    return { finish: () => (task ? collectBlocks(data, level, task, true) : inOneThread(data, level)) };
  }
  return {
    finish: () => {
      const task = startWorkerBlocks(data, level);
      return task ? collectBlocks(data, level, task, false) : inOneThread(data, level);
    },
  };
}

/**
 * The worker's blocks, and the caller's. A worker that has served a task
 * (its warm-up or part of the suffix sort) is running and warm: the
 * caller leaves the stream to it for as long as it keeps finishing blocks,
 * because the caller would first run the first stage and its first blocks
 * with cold code, and on a machine whose other core is busy the caller's
 * blocks only take CPU from the worker's. Measured on libcrypto's pack in a
 * fresh process (bundled): with the other core busy, 221–307 ms left to the
 * worker, 280–316 ms shared, 385–542 ms in one thread; with it mostly free,
 * 165–188 ms left to the worker and 162–185 ms shared (esbuild 238–314 and
 * 227–484 ms). A worker started for this stream is as cold as the caller,
 * who then takes blocks from the start.
 */
function collectBlocks(data: Uint8Array, level: number, task: PostedTask, leaveToWorker: boolean): ParallelBzip2Result {
  const { words, replies } = task;
  const workerDone = (): number => Atomics.load(words, SIGNAL.BLOCKS_DONE);
  const published = (): number => Atomics.load(words, SIGNAL.BLOCK_COUNT) - 1;
  const stopped = (): boolean => Atomics.load(words, SIGNAL.STATE) === TASK_STATE.DONE;
  const workerHasAll = (): boolean => published() >= 0 && workerDone() >= published();
  if (leaveToWorker) {
    for (let seen = Atomics.load(words, SIGNAL.EVENTS); !workerHasAll() && !stopped(); seen = Atomics.load(words, SIGNAL.EVENTS)) {
      if (Atomics.wait(words, SIGNAL.EVENTS, seen, WORKER_STALL_MS) === 'timed-out') break;
    }
  }
  const blocks: Array<EncodedBlock | undefined> = [];
  let stage: FirstStage | undefined;
  // Whatever the worker has not taken (all of it if it has not started), the caller encodes.
  let ownBlocks = 0;
  let slowestMs = 0;
  if (!workerHasAll()) {
    stage = firstStage(data, level);
    for (let b = Atomics.add(words, SIGNAL.NEXT_BLOCK, 1); b < stage.ends.length; b = Atomics.add(words, SIGNAL.NEXT_BLOCK, 1)) {
      const started = performance.now();
      blocks[b] = encodeBlock(stage, b);
      slowestMs = Math.max(slowestMs, performance.now() - started);
      ownBlocks++;
    }
  }
  // Every block the caller did not take, the worker took.
  const count = stage?.ends.length ?? published();
  const taken = count - ownBlocks;
  // The worker is waited for as long as it keeps finishing blocks.
  let failed = false;
  while (!failed && workerDone() < taken && !stopped()) {
    const seen = workerDone();
    failed = !waitUntil(words, () => workerDone() > seen || stopped(), performance.now() + WORKER_BLOCK_GRACE_MS + 10 * slowestMs);
  }
  let blocksByWorker = 0;
  for (let m = receiveMessageOnPort(replies); m; m = receiveMessageOnPort(replies)) {
    const reply = m.message as Bzip2BlockReply;
    if ('error' in reply) {
      failed = true;
      continue;
    }
    blocks[reply.index] = { bytes: reply.bytes, bitLength: reply.bitLength, crc: reply.crc };
    blocksByWorker++;
  }
  if (blocksByWorker < taken) failed = true;
  endTask(task, failed);
  if (blocksByWorker < count) {
    stage ??= firstStage(data, level);
    for (let b = 0; b < count; b++) blocks[b] ??= encodeBlock(stage, b);
  }
  return { packed: joinBlocks(level, blocks as EncodedBlock[]), blocksByWorker };
}
