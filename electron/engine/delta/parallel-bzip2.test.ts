import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { describe, it, expect } from 'vitest';
import { bzip2, firstStage } from './bzip2-encode';
import { codecWorkerServed } from './delta-worker-client';
import { seededBytes } from './firmware-fixtures';
import { beginBzip2 } from './parallel-bzip2';

/**
 * A diff stream as the corpus's releases make them: zeros, and region by
 * region sparse changes of a few values (shifted code), of near-random
 * values (rebuilt code), or none.
 */
function diffStream(seed: number, bytes: number): Uint8Array {
  const diff = new Uint8Array(bytes);
  const noise = seededBytes(seed, bytes);
  const REGION = 40_000;
  for (let start = 0, r = 0; start < bytes; start += REGION, r++) {
    const kind = noise[r]! % 3;
    const gap = 2 + (noise[r + 1]! % 30);
    const end = Math.min(bytes, start + REGION);
    for (let i = start; i < end; i += gap + (noise[i]! & 3)) {
      diff[i] = kind === 0 ? 0 : kind === 1 ? [4, 8, 0xfc, 0x10][noise[i]! & 3]! : noise[i]! | 1;
    }
  }
  return diff;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const DIFF = diffStream(71, 3_000_000);
/** bzip2(DIFF, 1) as the single-threaded encoder wrote it before blocks could be encoded apart (ten blocks). */
const DIFF_LEVEL1_SHA256 = '3f77a707b3f67cf68f5ece2120483fa6f4bc85e40617e3a8cde0030b5d39e83f';
/** A block holds at most this many bytes without runs (100 000 less libbz2's margin, less the room kept for a run's count). */
const LEVEL1_BLOCK_BYTES = 99_977;

/** Bytes without runs of equal bytes, so the first stage passes them through one for one. */
function withoutRuns(bytes: number): Uint8Array {
  return Uint8Array.from({ length: bytes }, (_, i) => (i * 7) % 251);
}

/**
 * Encodes a copy of DIFF with the worker until the worker has taken blocks, checking every stream: a
 * worker that is still compiling from sources, or that stopped after idling and starts afresh, may find
 * the caller done with every block. Returns the blocks the worker took.
 */
function blocksByWorker(data: Uint8Array): number {
  let byWorker = 0;
  for (let attempt = 0; attempt < 20 && byWorker === 0; attempt++) {
    const result = beginBzip2(data, 1, { parallel: true }).finish();
    expect(sha256(result.packed), `attempt ${attempt}`).toBe(DIFF_LEVEL1_SHA256);
    byWorker = result.blocksByWorker;
  }
  return byWorker;
}

describe('bzip2 with its blocks shared with the codec worker', () => {
  it('writes exactly the stream of the single-threaded encoder, with blocks encoded by the worker', () => {
    expect(sha256(bzip2(DIFF, 1))).toBe(DIFF_LEVEL1_SHA256);
    expect(firstStage(DIFF, 1).ends.length).toBe(10);
    expect(blocksByWorker(DIFF)).toBeGreaterThan(0);
    expect(codecWorkerServed()).toBe(true);
  }, 120_000);

  it('leaves every block to a worker that has served a task, by default, to the same stream', () => {
    // Start (or keep) the worker and let it serve one task, so its code is compiled like after a diff's suffix sort.
    for (let attempt = 0; attempt < 20 && !codecWorkerServed(); attempt++) beginBzip2(DIFF.subarray(0, 300_000), 1, { parallel: true }).finish();
    expect(codecWorkerServed()).toBe(true);
    const result = beginBzip2(DIFF, 1).finish();
    expect(result.blocksByWorker).toBe(10);
    expect(sha256(result.packed)).toBe(DIFF_LEVEL1_SHA256);
  }, 120_000);

  it('writes the same stream at the largest block size, and one the bzip2 tool decodes', () => {
    const data = DIFF.subarray(0, 1_000_000);
    const packed = beginBzip2(data, 9, { parallel: true }).finish().packed;
    expect(Buffer.from(packed).equals(Buffer.from(bzip2(data, 9)))).toBe(true);
    expect(Buffer.from(execFileSync('bzip2', ['-dc'], { input: packed, maxBuffer: 1 << 26 })).equals(Buffer.from(data))).toBe(true);
  }, 120_000);

  it('handles no input, one block, a block filled to its limit, and one byte past it', () => {
    const cases: Array<[string, Uint8Array, number]> = [
      ['empty', new Uint8Array(0), 0],
      ['one byte', Uint8Array.of(9), 1],
      ['one full block', withoutRuns(LEVEL1_BLOCK_BYTES), 1],
      ['one byte past a full block', withoutRuns(LEVEL1_BLOCK_BYTES + 1), 2],
      ['two full blocks', withoutRuns(2 * LEVEL1_BLOCK_BYTES), 2],
      ['a run across the block limit', Uint8Array.from({ length: 300_000 }, (_, i) => (i > LEVEL1_BLOCK_BYTES - 300 && i < LEVEL1_BLOCK_BYTES + 900 ? 0 : (i * 7) % 251)), 3],
    ];
    for (const [name, data, blocks] of cases) {
      expect(firstStage(data, 1).ends.length, name).toBe(blocks);
      const packed = beginBzip2(data, 1, { parallel: true }).finish().packed;
      expect(Buffer.from(packed).equals(Buffer.from(bzip2(data, 1))), name).toBe(true);
      expect(Buffer.from(execFileSync('bzip2', ['-dc'], { input: packed })).equals(Buffer.from(data)), name).toBe(true);
    }
  }, 120_000);

  it('encodes in the calling thread alone when asked to, to the same stream', () => {
    const result = beginBzip2(DIFF, 1, { parallel: false }).finish();
    expect(result.blocksByWorker).toBe(0);
    expect(sha256(result.packed)).toBe(DIFF_LEVEL1_SHA256);
  });

  it('reads a stream that already lives in shared memory where it is, at its offset, to the same stream', () => {
    const memory = new Uint8Array(new SharedArrayBuffer(DIFF.length + 4096));
    memory.fill(0xee);
    const view = memory.subarray(1234, 1234 + DIFF.length);
    view.set(DIFF);
    expect(blocksByWorker(view)).toBeGreaterThan(0);
  }, 120_000);
});
