import { describe, expect, it } from 'vitest';
import { applyDelta } from './apply-delta';
import { writeZdelta } from './create-delta';
import { buildDeltaScript, type DeltaScript } from './delta-script';
import { firmwareImage, nextRelease } from './firmware-fixtures';
import { buildDeltaScriptInParts, PARALLEL_SCAN_MIN_BYTES } from './parallel-scan';
import { createSuffixArrayMatcher } from './suffix-array-match';
import { createHashMatcher } from './hash-match';

const OLD = firmwareImage(31, PARALLEL_SCAN_MIN_BYTES + 700_000);
const NEW = nextRelease(OLD, 32);

const bytesOf = (script: DeltaScript): Buffer =>
  Buffer.concat([Buffer.from(Float64Array.from(script.control).buffer), Buffer.from(script.diff), Buffer.from(script.extra)]);

describe('delta scan in two halves', () => {
  it('scans the second half in the codec worker to the same script the caller alone makes, and the patch applies', () => {
    const matcher = createSuffixArrayMatcher(OLD);
    const progress: number[] = [];
    const scannedBy: string[] = [];
    const withWorker = buildDeltaScriptInParts(OLD, NEW, matcher, (f) => progress.push(f), { onSecondHalf: (by) => scannedBy.push(by) });
    const callerOnly = buildDeltaScriptInParts(OLD, NEW, matcher, undefined, { worker: false, onSecondHalf: (by) => scannedBy.push(by) });
    expect(scannedBy).toEqual(['worker', 'caller']);
    expect(bytesOf(withWorker).equals(bytesOf(callerOnly))).toBe(true);
    expect(progress.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= progress[i - 1]!))).toBe(true);

    const patch = writeZdelta(withWorker, OLD, NEW);
    expect(Buffer.from(applyDelta(OLD, patch)).equals(Buffer.from(NEW))).toBe(true);
    // The seam costs next to nothing against one scan of the whole image.
    const whole = writeZdelta(buildDeltaScript(OLD, NEW, matcher), OLD, NEW);
    expect(patch.length).toBeLessThan(whole.length * 1.005 + 64);
  }, 60_000);

  it('joins halves whose old cursors end and start anywhere: every entry but a leading seek still makes bytes', () => {
    // The second half of the new image comes from the start of the old one, the first half from its end.
    const old = firmwareImage(33, PARALLEL_SCAN_MIN_BYTES);
    const next = new Uint8Array(old.length);
    const half = old.length >>> 1;
    next.set(old.subarray(half), 0);
    next.set(old.subarray(0, half), old.length - half);
    const script = buildDeltaScriptInParts(old, next, createSuffixArrayMatcher(old), undefined, { worker: false });
    for (let k = 3; k < script.control.length; k += 3) expect(script.control[k]! + script.control[k + 1]!).toBeGreaterThan(0);
    expect(Buffer.from(applyDelta(old, writeZdelta(script, old, next))).equals(Buffer.from(next))).toBe(true);
  }, 60_000);

  it('scans small images, and any image with the hash matcher, in one piece', () => {
    const small = firmwareImage(34, 200_000);
    const smallNext = nextRelease(small, 35);
    const matcher = createSuffixArrayMatcher(small);
    expect(bytesOf(buildDeltaScriptInParts(small, smallNext, matcher))).toEqual(bytesOf(buildDeltaScript(small, smallNext, matcher)));
    const hash = createHashMatcher(OLD);
    expect(bytesOf(buildDeltaScriptInParts(OLD, NEW, hash)).equals(bytesOf(buildDeltaScript(OLD, NEW, hash)))).toBe(true);
  }, 60_000);
});
