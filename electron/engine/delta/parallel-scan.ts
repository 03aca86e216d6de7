import { receiveMessageOnPort } from 'node:worker_threads';
import { appendDeltaScript, buildDeltaScript, type DeltaScript } from './delta-script';
import { endTask, postTask, startCodecWorker, type PostedTask } from './delta-worker-client';
import { SIGNAL, signal, TASK_STATE, waitUntil, type ScanReply } from './delta-worker-protocol';
import type { Matcher, MatcherName } from './match';
import type { SuffixArrayMatcher } from './suffix-array-match';

/**
 * The delta scan in two halves at once: the new image's first half in the
 * calling thread, its second half in the codec's worker thread, both against
 * the same suffix arrays (shared memory, no copy). With the suffix sort in
 * WebAssembly the scan became the largest part of a diff of rebuilt code
 * (rollup: sort 0.15 s, scan 0.22 s).
 *
 * Each half is scanned as if it were a whole image, so the patch does not
 * depend on which thread scanned what, nor on whether a worker was there:
 * without one the caller scans the second half itself, to the same bytes.
 * The seam costs a search or two where the second half starts.
 */

/** Below this the worker's share is smaller than what handing it over costs. */
export const PARALLEL_SCAN_MIN_BYTES = 1 << 20;
/** A worker that has not taken the task by then is given up (tsx compiling the sources on a loaded machine takes a second or two). */
const WORKER_START_TIMEOUT_MS = 20_000;
/** Added to ten times the caller's own half before a started worker is given up. */
const WORKER_SCAN_GRACE_MS = 30_000;

export interface ParallelScanOptions {
  /** false: the caller scans both halves (same patch bytes; for tests and when no second thread is wanted). */
  worker?: boolean;
  /** Told which thread scanned the second half. */
  onSecondHalf?(scannedBy: 'worker' | 'caller'): void;
}

function isSuffixArrayMatcher(matcher: Matcher): matcher is SuffixArrayMatcher {
  return 'parts' in matcher;
}

function sharedCopy(bytes: Uint8Array): SharedArrayBuffer {
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  return shared;
}

function postScan(old: Uint8Array, second: Uint8Array, matcher: SuffixArrayMatcher): PostedTask | undefined {
  // Only suffix arrays in shared memory can be read by the worker where they are.
  if (!matcher.parts.every((part) => part.sa.buffer instanceof SharedArrayBuffer)) return undefined;
  const parts = matcher.parts.map(({ offset, sa }) => ({ offset, sa }));
  const shared = { old: sharedCopy(old), next: sharedCopy(second) };
  return postTask((signal, reply) => ({ kind: 'scan', ...shared, oldBytes: old.length, nextBytes: second.length, parts, signal, reply }));
}

function finishScan(task: PostedTask, ownScanMs: number): DeltaScript | undefined {
  const { words, replies } = task;
  const state = (): number => Atomics.load(words, SIGNAL.STATE);
  const started = waitUntil(words, () => state() !== TASK_STATE.PENDING, performance.now() + WORKER_START_TIMEOUT_MS);
  const done = started && waitUntil(words, () => state() === TASK_STATE.DONE, performance.now() + WORKER_SCAN_GRACE_MS + 10 * ownScanMs);
  const reply = done ? (receiveMessageOnPort(replies)?.message as ScanReply | undefined) : undefined;
  const script = reply && 'control' in reply ? { control: Array.from(reply.control), diff: reply.diff, extra: reply.extra } : undefined;
  if (script) signal(words, SIGNAL.STATE, TASK_STATE.TAKEN);
  endTask(task, !script);
  return script;
}

/** Called before the old image is indexed: starts the worker the scan will want while the caller sorts. */
export function prepareParallelScan(nextBytes: number, matcher: MatcherName): void {
  if (nextBytes >= PARALLEL_SCAN_MIN_BYTES && matcher === 'suffix-array') startCodecWorker();
}

/** buildDeltaScript, with the second half of a large new image scanned by the codec's worker thread. */
export function buildDeltaScriptInParts(
  old: Uint8Array,
  next: Uint8Array,
  matcher: Matcher,
  onProgress?: (fraction: number) => void,
  options: ParallelScanOptions = {},
): DeltaScript {
  if (next.length < PARALLEL_SCAN_MIN_BYTES || !isSuffixArrayMatcher(matcher)) return buildDeltaScript(old, next, matcher, onProgress);
  const half = next.length >>> 1;
  const second = next.subarray(half);
  const task = options.worker === false ? undefined : postScan(old, second, matcher);
  const started = performance.now();
  const first = buildDeltaScript(old, next.subarray(0, half), matcher, onProgress && ((f) => onProgress(f / 2)));
  const fromWorker = task && finishScan(task, performance.now() - started);
  const rest = fromWorker ?? buildDeltaScript(old, second, matcher, onProgress && ((f) => onProgress(0.5 + f / 2)));
  options.onSecondHalf?.(fromWorker ? 'worker' : 'caller');
  return appendDeltaScript(first, rest);
}
