/**
 * The simulated fleet for `npm run bench:fleet`, in its own process so the
 * console's memory is measured without the terminals':
 * `tsx bench/fleet/sim-child.ts COUNT LINK_BYTES_PER_S BOOT_MS STATE_DIR [delta IMAGE_BYTES]`.
 * With `delta` the terminals run B02 (an image of IMAGE_BYTES payload) and
 * apply deltas themselves.
 * Prints one JSON line with the terminals' addresses, then serves until
 * its stdin closes.
 */
import path from 'node:path';
import { startSimulatedTerminal, type RunningTerminal } from '../../native/simulator';
import { applyDelta } from '../../electron/engine/delta';
import { baseImageOf, FLEET_MODELS } from '../../electron/engine/update/fleet-fixtures';

const [countText, linkText, bootText, stateDir, route, imageText] = process.argv.slice(2);
const delta = route === 'delta';
const payloadBytes = Number(imageText ?? 0);
const count = Number(countText);
const linkBytesPerSecond = Number(linkText);
const bootMs = Number(bootText);
if (!Number.isInteger(count) || count < 1 || !(linkBytesPerSecond >= 0) || !(bootMs >= 0) || !stateDir) {
  process.stderr.write('usage: sim-child.ts COUNT LINK_BYTES_PER_S BOOT_MS STATE_DIR\n');
  process.exit(2);
}

const terminals: RunningTerminal[] = [];
for (let i = 0; i < count; i++) {
  const model = FLEET_MODELS[i % FLEET_MODELS.length]!;
  terminals.push(
    await startSimulatedTerminal({
      stateDir: path.join(stateDir, `t${i}`),
      ...model,
      version: delta ? 'B02' : 'B01',
      ...(delta ? { initialImage: baseImageOf(model, 'B02', payloadBytes), deltaApplier: applyDelta } : {}),
      serial: `BENCH${String(i).padStart(5, '0')}`,
      bootMs,
      ...(linkBytesPerSecond > 0 ? { linkBytesPerSecond } : {}),
    }),
  );
}
process.stdout.write(JSON.stringify({ addresses: terminals.map((t) => t.address) }) + '\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void Promise.all(terminals.map((t) => t.close())).then(() => process.exit(0));
});
