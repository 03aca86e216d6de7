/**
 * Worker-thread entry (node:worker_threads) of the delta codec: takes the
 * second core's share of a diff while the thread that started it does the
 * rest (delta-worker-client.ts): part of the suffix sort of a large old
 * image (in the caller's WebAssembly memory, parallel-suffix-sort.ts), and
 * the bzip2 blocks of large diff streams, after warming its encoder up while
 * the caller sorts or scans. One worker serves every task of a diff, so it
 * starts once. A module of its own so it is type-checked like the rest of
 * the codec and bundled as a second entry beside any bundle of the codec
 * (bench/delta/run.ts, scripts/build-desktop.ts).
 */
import { parentPort } from 'node:worker_threads';
import { bzip2, encodeBlock, firstStage, type FirstStage } from './bzip2-encode';
import { instanceOver } from './codec-wasm-instance';
import {
  claimTask,
  SIGNAL,
  signal,
  TASK_STATE,
  type Bzip2BlockReply,
  type Bzip2BlocksTask,
  type DeltaTask,
  type SuffixSortReply,
  type SuffixSortTask,
} from './delta-worker-protocol';

/** Bytes of the warm-up sample: a few first-stage blocks of a sparse diff, enough for V8 to compile the encoder's loops. */
const WARM_UP_BYTES = 400_000;

/**
 * Runs the bzip2 encoder once on a made-up sparse diff stream while the
 * caller sorts and scans (after the worker's part of the sort, if it has
 * one): cold, the encoder took two to four times as long per block for its
 * first blocks, and a fresh process (a CLI run, the benchmark) has only
 * cold code.
 */
function warmUp(): void {
  const sample = new Uint8Array(WARM_UP_BYTES);
  let x = 0x2545f491;
  for (let i = 0; i < sample.length; i += 3 + (x & 15)) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    sample[i] = x >>> 26;
  }
  bzip2(sample, 1);
}

/**
 * Sorts in the asking thread's memory, allocating only inside the arena it
 * reserved: a second instance's own allocator would start at the bottom of
 * the memory, over the caller's data.
 */
function suffixSort(task: SuffixSortTask): SuffixSortReply {
  try {
    const wasm = instanceOver(task.memory, task.module);
    wasm.useArena(task.arena, task.arenaEnd);
    return wasm.sort(task.text, task.sa, task.size) ? { sorted: true } : { error: `the sort's scratch memory outgrew its ${task.arenaEnd - task.arena}-byte arena` };
  } catch (error) {
    return { error: String(error) };
  }
}

function bzip2Blocks(task: Bzip2BlocksTask): void {
  const words = new Int32Array(task.signal);
  let stage: FirstStage;
  try {
    stage = firstStage(new Uint8Array(task.data, task.dataOffset, task.dataBytes), task.level);
  } catch (error) {
    const reply: Bzip2BlockReply = { error: String(error) };
    task.reply.postMessage(reply);
    return;
  }
  signal(words, SIGNAL.BLOCK_COUNT, stage.ends.length + 1);
  for (;;) {
    const index = Atomics.add(words, SIGNAL.NEXT_BLOCK, 1);
    if (index >= stage.ends.length) return;
    let reply: Bzip2BlockReply;
    try {
      const block = encodeBlock(stage, index);
      reply = { index, ...block };
      task.reply.postMessage(reply, [block.bytes.buffer as ArrayBuffer]);
    } catch (error) {
      // The block stays unanswered: the asking thread encodes whatever the worker took but did not reply.
      reply = { error: String(error) };
      task.reply.postMessage(reply);
      return;
    }
    signal(words, SIGNAL.BLOCKS_DONE, 1, 'add');
  }
}

parentPort?.on('message', (task: DeltaTask) => {
  const words = new Int32Array(task.signal);
  if (!claimTask(words)) {
    task.reply.close();
    return;
  }
  if (task.kind === 'warm-up') warmUp();
  else if (task.kind === 'suffix-sort') task.reply.postMessage(suffixSort(task));
  else bzip2Blocks(task);
  task.reply.close();
  signal(words, SIGNAL.STATE, TASK_STATE.DONE);
  // After the sort the asking thread scans; the encoder's warm-up overlaps that instead of delaying the sort.
  if (task.kind === 'suffix-sort' && task.warmUpAfter) warmUp();
});
