/**
 * Our codec as its own process, so the benchmark measures its wall time and
 * peak resident memory exactly as it does for bsdiff and the others:
 *   node --expose-gc codec.mjs diff OLD NEW PATCH [suffix-array|hash]
 *   node --expose-gc codec.mjs apply OLD PATCH OUT
 *   node --expose-gc codec.mjs apply-codec OLD PATCH OUT (not timed as a process)
 * It also measures the codec alone and prints one JSON line:
 *   codecMs — time inside createDelta / applyDeltaStream (no start-up, no
 *     file reads; apply-codec: the fastest of APPLY_RUNS, the sink writing the
 *     file, then one more run sampling memory);
 *   codecPeakBytes — the codec's own allocations: peak of V8's external
 *     memory (array buffers, brotli's native state) plus JS heap plus the
 *     codec's WebAssembly memories (shared memories, which V8's figures leave
 *     out: codec-memory.ts), minus the baseline sampled after the input
 *     files were read, plus the input images
 *     (old and new for diff, old for apply), so it compares directly with the
 *     issue's budgets; sampled at every progress report (diff) and every
 *     output chunk (apply).
 */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { applyDeltaStream, codecWasmBytes, createDelta, DEFAULT_MATCHER, isMatcherName } from '../../electron/engine/delta';

/** Apply is fast and the machine is shared: the best of a few runs is the codec's speed. */
const APPLY_RUNS = 3;

const [mode, a, b, c, matcher = DEFAULT_MATCHER] = process.argv.slice(2);
if (!a || !b || !c || (mode !== 'diff' && mode !== 'apply' && mode !== 'apply-codec') || !isMatcherName(matcher)) {
  process.stderr.write('usage: codec diff OLD NEW PATCH [suffix-array|hash] | codec apply[-codec] OLD PATCH OUT\n');
  process.exit(2);
}
const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
const codecBytes = (): number => {
  const m = process.memoryUsage();
  return m.external + m.heapUsed + codecWasmBytes();
};

const old = readFileSync(a);
const input = readFileSync(b);
collect();
const baseline = codecBytes();
let peak = baseline;
const sample = (): void => {
  peak = Math.max(peak, codecBytes());
};

let codecMs: number;
let inputBytes: number;
if (mode === 'diff') {
  inputBytes = old.length + input.length;
  const started = performance.now();
  const patch = createDelta(old, input, { matcher, onProgress: sample });
  codecMs = performance.now() - started;
  sample();
  writeFileSync(c, patch);
} else {
  inputBytes = old.length;
  codecMs = Infinity;
  const runs = mode === 'apply' ? 1 : APPLY_RUNS;
  for (let run = 0; run < runs; run++) {
    // Streaming apply straight to the file, as a device writer would consume it.
    const fd = openSync(c, 'w');
    const started = performance.now();
    await applyDeltaStream(old, input, (chunk) => void writeSync(fd, chunk));
    codecMs = Math.min(codecMs, performance.now() - started);
    closeSync(fd);
  }
  if (mode === 'apply-codec') {
    collect();
    await applyDeltaStream(old, input, sample);
  }
}
process.stdout.write(JSON.stringify({ codecMs, codecPeakBytes: peak - baseline + inputBytes }) + '\n');
