/**
 * Our codec as its own process, so the benchmark measures its wall time and
 * peak memory exactly as it does for bsdiff and the others:
 *   node codec.mjs diff OLD NEW PATCH
 *   node codec.mjs apply OLD PATCH OUT
 * Prints one JSON line with the time spent inside the codec (no start-up).
 */
import { openSync, readFileSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { applyDeltaStream, createDelta } from '../../electron/engine/delta';

const [mode, a, b, c] = process.argv.slice(2);
if (!a || !b || !c || (mode !== 'diff' && mode !== 'apply')) {
  process.stderr.write('usage: codec diff OLD NEW PATCH | codec apply OLD PATCH OUT\n');
  process.exit(2);
}
const old = readFileSync(a);
const started = performance.now();
if (mode === 'diff') {
  writeFileSync(c, createDelta(old, readFileSync(b)));
} else {
  // Streaming apply straight to the file, as a device writer would consume it.
  const fd = openSync(c, 'w');
  await applyDeltaStream(old, readFileSync(b), (chunk) => void writeSync(fd, chunk));
  closeSync(fd);
}
process.stdout.write(JSON.stringify({ codecMs: performance.now() - started }) + '\n');
