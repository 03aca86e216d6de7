/**
 * Worker-thread entry (node:worker_threads) of the delta codec: takes the
 * second core's share of a diff while the thread that started it does the
 * rest (delta-worker-client.ts). One worker serves every task of a diff, the
 * suffix sort and then the bzip2 blocks of each large diff stream, so it
 * starts once. A module of its own so it is type-checked like the rest of
 * the codec and bundled as a second entry beside any bundle of the codec
 * (bench/delta/run.ts, scripts/build-desktop.ts).
 */
import { parentPort } from 'node:worker_threads';
import { bzip2, encodeBlock, firstStage, type FirstStage } from './bzip2-encode';
import { SIGNAL, signal, TASK_STATE, waitUntil, type Bzip2BlockReply, type Bzip2BlocksTask, type DeltaTask, type ScanReply, type ScanTask, type SortReply, type SortTask } from './delta-worker-protocol';
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

/** Bytes of the warm-up sample: a few first-stage blocks of a sparse diff, enough for V8 to compile the encoder's loops. */
const WARM_UP_BYTES = 400_000;
/** How long the worker waits for the sorting thread to take its suffix array before it warms up anyway. */
const TAKE_WAIT_MS = 10_000;
let warmedUp = false;

/**
 * Runs the bzip2 encoder once on a made-up diff stream, so its code is
 * compiled before the first real block arrives. A diff that sorted in two
 * parts has a large old image and so, mostly, a large diff stream to pack
 * next; in between the calling thread scans (0.1–0.3 s) and this thread
 * idles. Cold, the encoder took two to four times as long per block for its
 * first blocks, and a fresh process (the benchmark, a CLI run) has only cold
 * code. It waits until the caller has taken the sort, so on a machine whose
 * other core is busy it does not slow the caller's own half of the sort.
 */
function warmUpEncoder(words: Int32Array): void {
  if (warmedUp) return;
  warmedUp = true;
  waitUntil(words, () => Atomics.load(words, SIGNAL.STATE) === TASK_STATE.TAKEN, performance.now() + TAKE_WAIT_MS);
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

parentPort?.on('message', (task: DeltaTask) => {
  const words = new Int32Array(task.signal);
  signal(words, SIGNAL.STATE, TASK_STATE.STARTED);
  if (task.kind === 'sort') sort(task);
  else if (task.kind === 'scan') scan(task);
  else bzip2Blocks(task);
  task.reply.close();
  signal(words, SIGNAL.STATE, TASK_STATE.DONE);
  if (task.kind === 'sort') warmUpEncoder(words);
});
