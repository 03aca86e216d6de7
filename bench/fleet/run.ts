/**
 * Fleet benchmark: `npm run bench:fleet [-- --sizes 1,8,32 --link BYTES_PER_S --image-kib N --boot-ms N --route full|delta]`.
 * With `--route delta` the terminals run the base version and apply the delta themselves (agent protocol 2).
 * Updates 1, 8 and 32 simulated terminals over TCP (in a separate process,
 * each link paced at the simulated speed) from a local library of signed
 * packages, all at once, and prints total time, throughput (image bytes
 * written per second over all terminals) and the console process's peak
 * RSS. Not a test: timing depends on the machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createEngine } from '../../electron/engine';
import { PackageCache } from '../../electron/engine/download';
import { generateKeyPair } from '../../electron/engine/package';
import { FirmwareLibrary } from '../../electron/engine/sources';
import { buildFleetLibrary } from '../../electron/engine/update/fleet-fixtures';
import { UpdateService } from '../../electron/engine/update';

const KIB = 1024;
const MIB = 1024 * KIB;
/** Issue 4's limit for the console with 32 terminals. */
const RSS_LIMIT_MIB = 300;
/** Issue 4: eight terminals move at least 6x the bytes of one when the link is the limit. */
const SCALING_TARGET = 6;
const RSS_SAMPLE_MS = 50;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const sizes = option('sizes', '1,8,32').split(',').map(Number);
/** Default: a fast serial link (921600 baud is about 92 KB/s; this is ten times that), so the link, not the CPU, limits. */
const linkBytesPerSecond = Number(option('link', String(1 * MIB)));
const imageBytes = Number(option('image-kib', '1024')) * KIB;
const bootMs = Number(option('boot-ms', '200'));
const route = option('route', 'full');
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !(linkBytesPerSecond >= 0) || !(imageBytes > 0) || (route !== 'full' && route !== 'delta')) {
  process.stderr.write('usage: npm run bench:fleet -- [--sizes 1,8,32] [--link BYTES_PER_S (0: unpaced)] [--image-kib N] [--boot-ms N] [--route full|delta]\n');
  process.exit(2);
}

function startSimulators(count: number, stateDir: string): Promise<{ child: ChildProcess; addresses: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'sim-child.ts'), String(count), String(linkBytesPerSecond), String(bootMs), stateDir, route, String(imageBytes)], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve({ child, addresses: (JSON.parse(line) as { addresses: string[] }).addresses }));
    child.once('exit', (code) => reject(new Error(`simulators exited with ${code}`)));
  });
}

interface Row {
  terminals: number;
  ok: number;
  seconds: number;
  bytes: number;
  bytesPerSecond: number;
  peakRssMiB: number;
}

async function runFleet(count: number, libraryDir: string, trustDir: string, root: string): Promise<Row> {
  const { child, addresses } = await startSimulators(count, path.join(root, `sims-${count}`));
  const dataDir = path.join(root, `data-${count}`);
  const engine = createEngine({ dataDir, trustStoreDir: trustDir });
  const cache = PackageCache.inDataDir(dataDir);
  const service = new UpdateService({ engine, dataDir, sources: [new FirmwareLibrary(libraryDir, cache)], cache, concurrency: count });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), RSS_SAMPLE_MS);
  const started = performance.now();
  try {
    const reports = await service.updateAll(addresses);
    const seconds = (performance.now() - started) / 1000;
    const bytes = reports.reduce((sum, r) => sum + r.bytesSent, 0);
    for (const r of reports.filter((r) => r.result !== 'success')) process.stderr.write(`  ${r.address}: ${r.result} ${r.code} ${r.error?.detail ?? ''}\n`);
    return { terminals: count, ok: reports.filter((r) => r.result === 'success').length, seconds, bytes, bytesPerSecond: bytes / seconds, peakRssMiB: Math.max(peakRss, process.memoryUsage().rss) / MIB };
  } finally {
    clearInterval(sampler);
    service.close();
    await engine.close();
    child.stdin!.end();
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const root = mkdtempSync(path.join(tmpdir(), 'zuc-bench-fleet-'));
try {
  const key = generateKeyPair();
  const trustDir = path.join(root, 'trust');
  mkdirSync(trustDir);
  writeFileSync(path.join(trustDir, 'bench.pem'), key.publicKey.export({ format: 'pem', type: 'spki' }).toString());
  const library = await buildFleetLibrary(path.join(root, 'library'), { key, baseVersions: [route === 'delta' ? 'B02' : 'B01'], deltaFrom: route === 'delta' ? 'B02' : null, payloadBytes: imageBytes });
  process.stdout.write(`fleet benchmark: ${imageBytes / KIB} KiB images, link ${linkBytesPerSecond ? `${(linkBytesPerSecond / KIB).toFixed(0)} KiB/s per terminal` : 'unpaced'}, boot ${bootMs} ms, ${route} packages, concurrency = fleet size\n`);
  process.stdout.write('terminals  ok   total s   KiB on link   KiB/s   x one   console peak RSS MiB\n');
  const rows: Row[] = [];
  for (const count of sizes) {
    const row = await runFleet(count, library.dir, trustDir, root);
    rows.push(row);
    const one = rows.find((r) => r.terminals === 1);
    const scale = one ? (row.bytesPerSecond / one.bytesPerSecond).toFixed(1) : '-';
    process.stdout.write(`${String(row.terminals).padStart(9)}  ${String(row.ok).padStart(2)}  ${row.seconds.toFixed(2).padStart(8)}  ${(row.bytes / KIB).toFixed(0).padStart(12)}  ${(row.bytesPerSecond / KIB).toFixed(0).padStart(6)}  ${scale.padStart(6)}  ${row.peakRssMiB.toFixed(0).padStart(21)}\n`);
  }
  const one = rows.find((r) => r.terminals === 1);
  const eight = rows.find((r) => r.terminals === 8);
  if (one && eight) process.stdout.write(`8 terminals move ${(eight.bytesPerSecond / one.bytesPerSecond).toFixed(1)}x the bytes per second of one (target >= ${SCALING_TARGET}x)\n`);
  const biggest = rows.at(-1)!;
  process.stdout.write(`console peak RSS with ${biggest.terminals} terminals: ${biggest.peakRssMiB.toFixed(0)} MiB (limit ${RSS_LIMIT_MIB} MiB)\n`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
