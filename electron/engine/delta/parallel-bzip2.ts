import { receiveMessageOnPort } from 'node:worker_threads';
import { encodeBlock, firstStage, joinBlocks, type EncodedBlock, type FirstStage } from './bzip2-encode';
import { codecWorkerRunning, endTask, postTask } from './delta-worker-client';
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
 * A stream of this many blocks is worth starting a worker of its own for
 * (at level 1 a block is 100 kB after the run-length code: ~0.4 MB of a
 * sparse diff stream). Measured in a fresh process (bundled): the worker's
 * start and its cold JIT cost more than the blocks it takes on libcrypto's
 * 12 blocks (529–612 ms against 288–438 ms in one thread, the other core
 * busy), so only the largest streams start one.
 */
export const FRESH_WORKER_MIN_BLOCKS = 40;
/**
 * With a worker already running (the suffix sort of a large old image
 * started it and warmed its encoder), two blocks are worth sharing: a task
 * costs one copy of the first stage's output and a message per block.
 */
export const RUNNING_WORKER_MIN_BLOCKS = 2;
/** Added to ten times the caller's slowest block before the worker's blocks are given up (killed for memory, say). */
const WORKER_BLOCK_GRACE_MS = 30_000;

export interface Bzip2Options {
  /** false: one thread; true: the worker whenever there are two blocks. Default: by block count (see above). */
  parallel?: boolean;
}

export interface ParallelBzip2Result {
  packed: Uint8Array;
  /** Blocks the worker encoded (0 when it was not used, not started in time, or failed). */
  blocksByWorker: number;
}

function worthTwoCores(blocks: number): boolean {
  return blocks >= FRESH_WORKER_MIN_BLOCKS || (codecWorkerRunning() && blocks >= RUNNING_WORKER_MIN_BLOCKS);
}

/** Posts the blocks to the codec's worker; undefined when there is none. */
function startWorkerBlocks(stage: FirstStage): ReturnType<typeof postTask> {
  const shared = new SharedArrayBuffer(stage.bytes.length);
  new Uint8Array(shared).set(stage.bytes);
  const { ends, crcs } = stage;
  return postTask((signal, reply) => ({ kind: 'bzip2-blocks', stage: shared, stageBytes: stage.bytes.length, ends, crcs, signal, reply }));
}

/** Exactly bzip2(data, level), its blocks shared with the codec's worker when that pays. */
export function bzip2OnTwoCores(data: Uint8Array, level: number, options: Bzip2Options = {}): ParallelBzip2Result {
  const stage = firstStage(data, level);
  const count = stage.ends.length;
  const blocks: Array<EncodedBlock | undefined> = new Array<EncodedBlock | undefined>(count);
  const encodeMissing = (): EncodedBlock[] => {
    for (let b = 0; b < count; b++) blocks[b] ??= encodeBlock(stage, b);
    return blocks as EncodedBlock[];
  };
  const task = count >= 2 && (options.parallel ?? worthTwoCores(count)) ? startWorkerBlocks(stage) : undefined;
  if (!task) return { packed: joinBlocks(level, encodeMissing()), blocksByWorker: 0 };
  const { words, replies } = task;
  let ownBlocks = 0;
  let slowestMs = 0;
  for (let b = Atomics.add(words, SIGNAL.NEXT_BLOCK, 1); b < count; b = Atomics.add(words, SIGNAL.NEXT_BLOCK, 1)) {
    const started = performance.now();
    blocks[b] = encodeBlock(stage, b);
    slowestMs = Math.max(slowestMs, performance.now() - started);
    ownBlocks++;
  }
  // Every block the caller did not take, the worker took.
  const taken = count - ownBlocks;
  const answered = (): boolean => Atomics.load(words, SIGNAL.BLOCKS_DONE) >= taken || Atomics.load(words, SIGNAL.STATE) === TASK_STATE.DONE;
  let failed = taken > 0 && !waitUntil(words, answered, performance.now() + WORKER_BLOCK_GRACE_MS + 10 * slowestMs);
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
  return { packed: joinBlocks(level, encodeMissing()), blocksByWorker };
}
