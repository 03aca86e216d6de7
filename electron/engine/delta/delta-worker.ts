/**
 * Worker-thread entry (node:worker_threads) of the delta codec: takes the
 * second core's share of a diff while the thread that started it does the
 * rest (delta-worker-client.ts). One worker serves every task of a diff
 * (the suffix sort, the scan's second half, then the bzip2 blocks of each
 * large diff stream), so it starts once. A module of its own so it is
 * type-checked like the rest of the codec and bundled as a second entry
 * beside any bundle of the codec (bench/delta/run.ts,
 * scripts/build-desktop.ts).
 */
import { parentPort } from 'node:worker_threads';
import { encodeBlock, firstStage, type FirstStage } from './bzip2-encode';
import { SIGNAL, signal, TASK_STATE, type Bzip2BlockReply, type Bzip2BlocksTask, type DeltaTask, type ScanReply, type ScanTask, type SortReply, type SortTask } from './delta-worker-protocol';
import { buildDeltaScript } from './delta-script';
import { buildSuffixArray } from './suffix-array';
import { suffixArrayMatcherOver } from './suffix-array-match';

function sort(task: SortTask): void {
  let reply: SortReply;
  try {
    // A view into shared memory: posted as it is, without a copy.
    reply = { sa: buildSuffixArray(new Uint8Array(task.text, 0, task.textBytes)) };
  } catch (error) {
    reply = { error: String(error) };
  }
  task.reply.postMessage(reply);
}

function scan(task: ScanTask): void {
  let reply: ScanReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const old = new Uint8Array(task.old, 0, task.oldBytes);
    const parts = task.parts.map(({ offset, sa }) => ({ offset, sa, text: old.subarray(offset, offset + sa.length), sortedBy: 'caller' as const }));
    const script = buildDeltaScript(old, new Uint8Array(task.next, 0, task.nextBytes), suffixArrayMatcherOver(old, parts));
    const control = Float64Array.from(script.control);
    reply = { control, diff: script.diff, extra: script.extra };
    transfer = [control.buffer, script.diff.buffer as ArrayBuffer, script.extra.buffer as ArrayBuffer];
  } catch (error) {
    reply = { error: String(error) };
  }
  task.reply.postMessage(reply, transfer);
}

function bzip2Blocks(task: Bzip2BlocksTask): void {
  const words = new Int32Array(task.signal);
  let stage: FirstStage;
  try {
    stage = firstStage(new Uint8Array(task.data, 0, task.dataBytes), task.level);
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
  signal(words, SIGNAL.STATE, TASK_STATE.STARTED);
  if (task.kind === 'sort') sort(task);
  else if (task.kind === 'scan') scan(task);
  else bzip2Blocks(task);
  task.reply.close();
  signal(words, SIGNAL.STATE, TASK_STATE.DONE);
});
