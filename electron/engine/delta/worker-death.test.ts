import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { bzip2 } from './bzip2-encode';
import { writeZdelta } from './create-delta';
import { scanDelta } from './delta-scan';
import { codecWorkerServed, startCodecWorker, startCodecWorkersWith } from './delta-worker-client';
import { firmwareImage, nextRelease, seededBytes } from './firmware-fixtures';
import { beginBzip2 } from './parallel-bzip2';

/**
 * A codec worker that does its warm-up like the real one, then dies in the
 * middle of the next task: it claims it (for bzip2 blocks, it also takes the
 * first block number), counts the claim in `claims`, and exits, as a thread
 * killed for memory would. The real worker's protocol words: 0 events, 1
 * state (0 pending, 1 started, 2 done), 2 next block.
 */
const DYING_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const claims = new Int32Array(workerData.claims);
parentPort.on('message', (task) => {
  const words = new Int32Array(task.signal);
  if (Atomics.compareExchange(words, 1, 0, 1) !== 0) return;
  if (task.kind === 'warm-up') {
    Atomics.store(words, 1, 2);
  } else {
    if (task.kind === 'bzip2-blocks') Atomics.add(words, 2, 1);
    Atomics.add(claims, 0, 1);
  }
  Atomics.add(words, 0, 1);
  Atomics.notify(words, 0);
  if (task.kind !== 'warm-up') process.exit(1);
});`;

/** Starts dying workers from now on; returns how many tasks they have claimed before dying. */
function dyingWorkers(): () => number {
  const claims = new Int32Array(new SharedArrayBuffer(4));
  startCodecWorkersWith((options) => new Worker(DYING_WORKER, { ...options, eval: true, workerData: { claims: claims.buffer } }));
  return () => Atomics.load(claims, 0);
}

/** A dying worker, started and warmed up, so that it claims the next task at once. */
async function warmDyingWorker(): Promise<void> {
  startCodecWorker();
  for (let waited = 0; !codecWorkerServed(); waited += 10) {
    if (waited > 10_000) throw new Error('the worker did not do its warm-up');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

afterEach(() => startCodecWorkersWith(undefined));

describe('a codec worker that dies in the middle of a task', () => {
  it('leaves its part of the suffix sort to the caller: the same patch, a few seconds late at most', async () => {
    const old = firmwareImage(91, 2 << 20);
    const next = nextRelease(old, 92);
    next.set(old.subarray(old.length - 200_000), 500_000);
    const expected = sha256(writeZdelta(scanDelta(old, next, 'suffix-array', undefined, { parallel: true, worker: false }), old, next));
    const claims = dyingWorkers();
    await warmDyingWorker();
    const started = performance.now();
    const script = scanDelta(old, next, 'suffix-array', undefined, { parallel: true });
    const ms = performance.now() - started;
    expect(claims()).toBe(1);
    expect(script.sorted?.firstSortedBy).toBe('caller');
    expect(sha256(writeZdelta(script, old, next))).toBe(expected);
    expect(ms).toBeLessThan(10_000);
  }, 60_000);

  it('leaves the bzip2 block it took to the caller: the very stream of the single-threaded encoder', async () => {
    const data = seededBytes(93, 1_000_000).map((byte) => (byte < 200 ? 0 : byte));
    const expected = sha256(bzip2(data, 1));
    const claims = dyingWorkers();
    await warmDyingWorker();
    const started = performance.now();
    const result = beginBzip2(data, 1, { parallel: true }).finish();
    const ms = performance.now() - started;
    expect(claims()).toBe(1);
    expect(result.blocksByWorker).toBe(0);
    expect(sha256(result.packed)).toBe(expected);
    expect(ms).toBeLessThan(10_000);
  }, 60_000);
});
