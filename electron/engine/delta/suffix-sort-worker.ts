/**
 * Worker-thread entry (node:worker_threads) that sorts the suffixes of one
 * part of the old image while the thread that started it sorts another
 * (parallel-suffix-sort.ts). A module of its own so it is type-checked like
 * the rest of the codec and bundled as a second entry beside any bundle of
 * the codec (bench/delta/run.ts). It receives the text in shared memory,
 * hands the suffix array back by transfer (no copy) over a message port, and
 * signals each step through a shared state word, because the waiting thread
 * blocks in Atomics.wait and runs no event loop to see a message arrive.
 */
import { workerData } from 'node:worker_threads';
import { buildSuffixArray } from './suffix-array';
import { signalSortState, SORT_STATE, type SuffixSortRequest, type SuffixSortReply } from './suffix-sort-protocol';

const { text, textBytes, state, port } = workerData as SuffixSortRequest;
const stateWord = new Int32Array(state);
signalSortState(stateWord, SORT_STATE.STARTED);
let reply: SuffixSortReply;
let transfer: ArrayBuffer[] = [];
try {
  const sa = buildSuffixArray(new Uint8Array(text, 0, textBytes));
  reply = { sa };
  transfer = [sa.buffer as ArrayBuffer];
} catch (error) {
  reply = { error: String(error) };
}
port.postMessage(reply, transfer);
port.close();
signalSortState(stateWord, SORT_STATE.DONE);
