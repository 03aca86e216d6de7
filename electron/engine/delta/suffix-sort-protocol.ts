import type { MessagePort } from 'node:worker_threads';

/** What the sorting thread gets (workerData of suffix-sort-worker.ts). */
export interface SuffixSortRequest {
  /** The part of the old image to sort, in shared memory (the thread reads it where it is). */
  text: SharedArrayBuffer;
  textBytes: number;
  /** One Int32 word: SORT_STATE, advanced by the worker. */
  state: SharedArrayBuffer;
  /** Where the reply is posted; read with receiveMessageOnPort, without an event loop. */
  port: MessagePort;
}

export type SuffixSortReply = { sa: Int32Array } | { error: string };

export const SORT_STATE = {
  /** Set by the starting thread; the worker has not run any code yet. */
  PENDING: 0,
  STARTED: 1,
  /** The reply is on the port. */
  DONE: 2,
} as const;

export function signalSortState(word: Int32Array, value: number): void {
  Atomics.store(word, 0, value);
  Atomics.notify(word, 0);
}
