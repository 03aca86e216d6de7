/**
 * Delta benchmark: `npm run bench:delta -- CORPUS_DIR [--out FILE.md]`
 * over the corpus of ../shared/corpus/make_corpus.sh (pairs DIR/NAME/old,
 * DIR/NAME/new). For each pair it runs our codec and, in the same run,
 * Debian's bsdiff, xdelta3 and zstd --patch-from, checks every patch
 * round-trips byte for byte, and prints sizes, times and peak memory with
 * ratios against bsdiff and the targets of issue 3. CPU heavy: not a test.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MATCHER_NAMES, shouldUseDelta } from '../../electron/engine/delta';
import { externalTools, measure, ourTool, type Measured, type Tool } from './tools';

const MIB = 1024 * 1024;
const TARGET_SIZE_GEOMEAN = 0.95;
const TARGET_DIFF_TIME_RATIO = 0.5;
const TARGET_DIFF_MEMORY_FACTOR = 6;
const TARGET_APPLY_MB_PER_S = 100;
const TARGET_APPLY_EXTRA_MIB = 32;

interface Row {
  pair: string;
  tool: string;
  patchBytes: number;
  diffS: number;
  diffCpuS: number;
  diffMiB: number;
  applyS: number;
  applyMiB: number;
  codecDiffS?: number;
  codecDiffMiB?: number;
  codecApplyS?: number;
  codecApplyMiB?: number;
}

interface CodecReport {
  codecMs: number;
  codecPeakBytes: number;
}

function codecReport(stdout: string): CodecReport | undefined {
  const line = stdout.trim().split('\n').at(-1);
  return line ? (JSON.parse(line) as CodecReport) : undefined;
}

function usage(): never {
  process.stderr.write('usage: npm run bench:delta -- CORPUS_DIR [--out FILE.md] [--runs N (1-9, default 1)]\n');
  process.exit(2);
}

const MAX_RUNS = 9;
const args = process.argv.slice(2);
const optionValue = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const outFile = optionValue('--out');
const runs = Number(optionValue('--runs') ?? 1);
if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS) usage();
const corpus = args.find((a, i) => !a.startsWith('--') && !(i > 0 && (args[i - 1] === '--out' || args[i - 1] === '--runs')));
if (!corpus || !existsSync(corpus)) usage();

/**
 * The fastest of `runs` runs of one process (all its figures from that run):
 * on a shared machine a run is slowed by whatever else runs then, so the
 * fastest is the closest to the tool's own cost. Every tool gets the same
 * number of runs.
 */
function fastest(command: string, commandArgs: string[]): Measured {
  let best: Measured | undefined;
  for (let run = 0; run < runs; run++) {
    const m = measure(command, commandArgs);
    if (!best || m.wallS < best.wallS) best = m;
  }
  return best!;
}

const pairs = readdirSync(corpus)
  .filter((name) => existsSync(path.join(corpus, name, 'old')) && existsSync(path.join(corpus, name, 'new')))
  .sort();
if (pairs.length === 0) usage();

const work = mkdtempSync(path.join(tmpdir(), 'zuc-bench-'));
const bundle = path.join(work, 'codec-child.mjs');
// Bundled to plain JavaScript so our codec starts like any other tool, without a TypeScript loader. The codec's
// worker thread is a second entry, built beside the codec where the codec looks for it (delta-worker-client.ts).
execFileSync(path.resolve('node_modules/.bin/esbuild'), [
  'bench/delta/codec-child.ts',
  'electron/engine/delta/delta-worker.ts',
  '--bundle',
  '--platform=node',
  '--format=esm',
  `--outdir=${work}`,
  '--entry-names=[name]',
  '--out-extension:.js=.mjs',
  '--log-level=warning',
]);

const ours = MATCHER_NAMES.map((m) => ourTool(bundle, m));
const oursNames = ours.map((t) => t.name);
const tools: Tool[] = [...ours, ...externalTools()];
const loadAtStart = loadavg().map((l) => l.toFixed(2)).join(' ');
const rows: Row[] = [];
const notes: string[] = [];

try {
  for (const pair of pairs) {
    const oldFile = path.join(corpus, pair, 'old');
    const newFile = path.join(corpus, pair, 'new');
    const expected = readFileSync(newFile);
    for (const tool of tools) {
      const patchFile = path.join(work, `${pair}.${tool.name}.patch`);
      const outFile = path.join(work, `${pair}.${tool.name}.out`);
      process.stderr.write(`${pair}: ${tool.name} diff…`);
      const diff = fastest(...tool.diff(oldFile, newFile, patchFile));
      process.stderr.write(' apply…');
      const apply = fastest(...tool.apply(oldFile, patchFile, outFile));
      if (!readFileSync(outFile).equals(expected)) throw new Error(`${tool.name} did not round-trip ${pair}`);
      let codecApply: CodecReport | undefined;
      if (tool.codecApply) {
        process.stderr.write(' codec apply…');
        const [command, commandArgs] = tool.codecApply(oldFile, patchFile, outFile);
        codecApply = codecReport(execFileSync(command, commandArgs, { encoding: 'utf8' }));
        if (!readFileSync(outFile).equals(expected)) throw new Error(`${tool.name} did not round-trip ${pair} in-process`);
      }
      process.stderr.write(' done\n');
      const codecDiff = codecReport(diff.stdout);
      rows.push({
        pair,
        tool: tool.name,
        patchBytes: statSync(patchFile).size,
        diffS: diff.wallS,
        diffCpuS: diff.cpuS,
        diffMiB: diff.peakMiB,
        applyS: apply.wallS,
        applyMiB: apply.peakMiB,
        codecDiffS: codecDiff && codecDiff.codecMs / 1000,
        codecDiffMiB: codecDiff && codecDiff.codecPeakBytes / MIB,
        codecApplyS: codecApply && codecApply.codecMs / 1000,
        codecApplyMiB: codecApply && codecApply.codecPeakBytes / MIB,
      });
      if (oursNames.includes(tool.name)) {
        const verdict = shouldUseDelta(readFileSync(oldFile), expected, readFileSync(patchFile));
        notes.push(`- ${pair}, ${tool.name}: ${verdict.useDelta ? 'ship the delta' : 'ship the full image'} — ${verdict.reason}`);
      }
      rmSync(outFile, { force: true });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits);
const lines: string[] = [];
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
lines.push(
  `Delta benchmark, ${new Date().toISOString().slice(0, 16)}Z, ${pairs.length} pairs from ${path.resolve(corpus)}; every patch applied and compared byte for byte; ` +
    `each diff and apply process run ${runs} time${runs === 1 ? '' : 's'}, the fastest kept. ` +
    `Load average at start ${loadAtStart}, at end ${load()} (${cpus().length} cores).`,
);
lines.push('');
lines.push(
  '| pair | tool | patch bytes | × bsdiff | diff s (cpu s) | × bsdiff | diff peak MiB | apply s | apply MB/s | apply peak MiB | codec diff s | codec diff MiB | codec apply s | codec apply MB/s | codec apply MiB |',
);
lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const base = rows.find((b) => b.pair === r.pair && b.tool === 'bsdiff')!;
  const newBytes = statSync(path.join(corpus, r.pair, 'new')).size;
  lines.push(
    `| ${r.pair} | ${r.tool} | ${r.patchBytes.toLocaleString('en')} | ${fmt(r.patchBytes / base.patchBytes)} | ${fmt(r.diffS)} (${fmt(r.diffCpuS)}) | ${fmt(r.diffS / base.diffS)} | ` +
      `${fmt(r.diffMiB, 0)} | ${fmt(r.applyS)} | ${fmt(newBytes / 1e6 / Math.max(r.applyS, 0.005), 0)} | ${fmt(r.applyMiB, 0)} | ` +
      (r.codecApplyS === undefined
        ? '– | – | – | – | – |'
        : `${fmt(r.codecDiffS ?? NaN)} | ${fmt(r.codecDiffMiB ?? NaN, 0)} | ${fmt(r.codecApplyS, 3)} | ${fmt(newBytes / 1e6 / Math.max(r.codecApplyS, 0.0005), 0)} | ${fmt(r.codecApplyMiB ?? NaN, 0)} |`),
  );
}

lines.push('');
lines.push('Targets (issue 3), our codec against bsdiff in this run. Judged on: diff time, the process wall time (like for like with');
lines.push('bsdiff, Node start-up included; CPU and codec-only ratios in brackets); the other three on the codec itself (in-process');
lines.push('time, own allocations incl. the input images), with the whole process in brackets.');
lines.push('');
lines.push('| pair | tool | size ≤ bsdiff | diff time ≤ 0.5× bsdiff (cpu, codec) | diff peak ≤ 6×(old+new) (process) | apply ≥ 100 MB/s (process) | apply peak ≤ old + 32 MiB (process) |');
lines.push('|---|---|---|---|---|---|---|');
const ratios = new Map<string, number[]>(oursNames.map((name) => [name, []]));
for (const pair of pairs) for (const toolName of oursNames) {
  const ours = rows.find((r) => r.pair === pair && r.tool === toolName)!;
  const base = rows.find((r) => r.pair === pair && r.tool === 'bsdiff')!;
  const oldBytes = statSync(path.join(corpus, pair, 'old')).size;
  const newBytes = statSync(path.join(corpus, pair, 'new')).size;
  ratios.get(toolName)!.push(ours.patchBytes / base.patchBytes);
  const mark = (ok: boolean, text: string): string => `${ok ? 'yes' : '**no**'} (${text})`;
  const diffBudgetMiB = (TARGET_DIFF_MEMORY_FACTOR * (oldBytes + newBytes)) / MIB;
  const applyBudgetMiB = oldBytes / MIB + TARGET_APPLY_EXTRA_MIB;
  const codecDiffMiB = ours.codecDiffMiB ?? NaN;
  const codecApplyS = ours.codecApplyS ?? NaN;
  const codecApplyMiB = ours.codecApplyMiB ?? NaN;
  const codecRate = newBytes / 1e6 / Math.max(codecApplyS, 0.0005);
  const processRate = newBytes / 1e6 / Math.max(ours.applyS, 0.005);
  lines.push(
    `| ${pair} | ${toolName} | ${mark(ours.patchBytes <= base.patchBytes, fmt(ours.patchBytes / base.patchBytes, 3))} | ` +
      `${mark(ours.diffS <= TARGET_DIFF_TIME_RATIO * base.diffS, `${fmt(ours.diffS / base.diffS)}×; ${fmt(ours.diffCpuS / base.diffCpuS)}×, ${fmt((ours.codecDiffS ?? NaN) / base.diffS)}×`)} | ` +
      `${mark(codecDiffMiB <= diffBudgetMiB, `${fmt(codecDiffMiB, 0)} of ${fmt(diffBudgetMiB, 0)} MiB; ${fmt(ours.diffMiB, 0)}`)} | ` +
      `${mark(codecRate >= TARGET_APPLY_MB_PER_S, `${fmt(codecRate, 0)} MB/s; ${fmt(processRate, 0)}`)} | ` +
      `${mark(codecApplyMiB <= applyBudgetMiB, `${fmt(codecApplyMiB, 0)} of ${fmt(applyBudgetMiB, 0)} MiB; ${fmt(ours.applyMiB, 0)}`)} |`,
  );
}
const nodeAlone = measure(process.execPath, ['-e', '']);
lines.push('');
lines.push(
  `Our codec runs in Node: an empty \`node -e ""\` takes ${fmt(nodeAlone.wallS)} s and ${fmt(nodeAlone.peakMiB, 0)} MiB here, ` +
    'included in every zdelta process wall time and peak above, not in the codec columns.',
);
lines.push('');
for (const [toolName, r] of ratios) {
  const geomean = Math.exp(r.reduce((s, x) => s + Math.log(x), 0) / r.length);
  lines.push(`Geometric mean of ${toolName} / bsdiff patch size: ${fmt(geomean, 3)} (target ≤ ${TARGET_SIZE_GEOMEAN}: ${geomean <= TARGET_SIZE_GEOMEAN ? 'met' : 'not met'}).`);
}
lines.push('');
lines.push('Full image or delta (shouldUseDelta, threshold 0.9 × brotli of the new image):');
lines.push(...notes);
const report = lines.join('\n') + '\n';
process.stdout.write(report);
if (outFile) writeFileSync(outFile, report);
