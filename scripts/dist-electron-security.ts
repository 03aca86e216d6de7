// `npm run lint:electron`: Doyensec's Electronegativity over the main and
// preload sources. Any high-severity finding fails the run unless it is
// listed, with the reason it is not a risk, in
// build/electronegativity-reviewed.json; a listed finding whose code line
// changes is no longer matched and must be reviewed again.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** The tool waits on the network for translations and Electron releases; without one it goes on after a few seconds. */
export const SCAN_TIMEOUT_MS = 120_000;
export const SCANNED_DIRS = ['electron/main', 'electron/preload'] as const;
export const REVIEWED_PATH = 'build/electronegativity-reviewed.json';
/** Only what ships is scanned: tests build fake windows on purpose. */
const NOT_SHIPPED = /\.test\.ts$/;

export interface Finding {
  check: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
  sample: string;
  description: string;
}

const reviewedSchema = z.array(
  z.object({
    check: z.string().min(1),
    file: z.string().min(1),
    sample: z.string().min(1),
    reason: z.string().min(20),
  }),
);
export type ReviewedFinding = z.infer<typeof reviewedSchema>[number];

/** An issue as Electronegativity's runner returns it. */
const issueSchema = z.object({
  id: z.string(),
  file: z.string(),
  sample: z.string().optional(),
  description: z.string(),
  location: z.object({ line: z.number(), column: z.number() }),
  severity: z.object({ name: z.string() }),
  confidence: z.object({ name: z.string() }),
});
const runnerResultSchema = z.object({
  errors: z.array(z.object({ file: z.string(), message: z.string(), tolerable: z.boolean() })),
  issues: z.array(issueSchema),
});
export type RunnerResult = z.infer<typeof runnerResultSchema>;

export function toFinding(issue: z.infer<typeof issueSchema>): Finding {
  return {
    check: issue.id,
    severity: issue.severity.name,
    confidence: issue.confidence.name,
    file: issue.file,
    location: `${issue.location.line}:${issue.location.column}`,
    sample: issue.sample ?? '',
    description: issue.description,
  };
}

/**
 * Findings from the runner's result. A file the tool could not parse was not
 * checked at all, so it fails the scan rather than passing silently.
 */
export function findingsFrom(result: RunnerResult, inputDir: string): Finding[] {
  const unparsed = result.errors.filter((e) => !e.tolerable);
  if (unparsed.length > 0) {
    const list = unparsed.map((e) => `${path.relative(inputDir, e.file)} (${e.message})`).join('; ');
    throw new Error(`Electronegativity could not parse, so did not check: ${list}`);
  }
  return result.issues.map(toFinding);
}

export function isReviewed(finding: Finding, reviewed: readonly ReviewedFinding[]): boolean {
  return reviewed.some((r) => r.check === finding.check && r.file === finding.file && r.sample === finding.sample);
}

/** The findings that fail the run: high severity and not reviewed. */
export function blockingFindings(findings: readonly Finding[], reviewed: readonly ReviewedFinding[]): Finding[] {
  return findings.filter((f) => f.severity.toUpperCase() === 'HIGH' && !isReviewed(f, reviewed));
}

export async function loadReviewed(root: string): Promise<ReviewedFinding[]> {
  const file = path.join(root, REVIEWED_PATH);
  const parsed = reviewedSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new Error(`${REVIEWED_PATH}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

async function shippedSources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !NOT_SHIPPED.test(e.name)).map((e) => path.join(e.parentPath, e.name));
}

function electronegativityRunner(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'runner.js');
}

// The tool's own runner API, in a child process (it patches console and
// globals): its result carries the parse errors the CLI's CSV leaves out.
const RUNNER_CHILD = `
const [runnerPath, input, electronVersion, resultPath] = process.argv.slice(1);
require(runnerPath)({ input, isRelative: true, isVerbose: false, electronVersionOverride: electronVersion, parserPlugins: [] }, false)
  .then((result) => require('node:fs').writeFileSync(resultPath, JSON.stringify({ errors: result.errors, issues: result.issues })))
  .catch((err) => { console.error(err && err.message ? err.message : String(err)); process.exit(1); });
`;

function runTool(input: string, electronVersion: string, resultPath: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const args = ['-e', RUNNER_CHILD, electronegativityRunner(), input, electronVersion, resultPath];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4096));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal) reject(new Error(`Electronegativity did not finish within ${Math.round(timeoutMs / 1000)} s`));
      else if (code !== 0) reject(new Error(`Electronegativity exited with ${code}: ${output.trim().split('\n').at(-1) ?? ''}`));
      else resolve();
    });
  });
}

export interface ScanOptions {
  /** Folders (relative to root) whose shipped sources are scanned. */
  dirs?: readonly string[];
  electronVersion: string;
  timeoutMs?: number;
}

/** Scans copies of the shipped sources; findings name files relative to the root. */
export async function scanElectronSources(root: string, options: ScanOptions): Promise<Finding[]> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'zuc-electronegativity-'));
  try {
    const input = path.join(work, 'src');
    for (const dir of options.dirs ?? SCANNED_DIRS) {
      for (const file of await shippedSources(path.join(root, dir))) await cp(file, path.join(input, path.relative(root, file)));
    }
    const resultPath = path.join(work, 'result.json');
    await runTool(input, options.electronVersion, resultPath, options.timeoutMs ?? SCAN_TIMEOUT_MS);
    const parsed = runnerResultSchema.safeParse(JSON.parse(await readFile(resultPath, 'utf8')));
    if (!parsed.success) throw new Error(`Electronegativity returned an unexpected result: ${parsed.error.issues[0]?.message ?? ''}`);
    return findingsFrom(parsed.data, input);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function describeFinding(f: Finding): string {
  return `${f.severity} ${f.check} ${f.file}:${f.location} ${f.description}${f.sample && f.sample !== 'N/A' ? `\n    ${f.sample}` : ''}`;
}

if (import.meta.filename === process.argv[1]) {
  const root = path.resolve(import.meta.dirname, '..');
  const electronVersion = (JSON.parse(await readFile(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
  try {
    const [findings, reviewed] = await Promise.all([scanElectronSources(root, { electronVersion }), loadReviewed(root)]);
    const blocking = blockingFindings(findings, reviewed);
    const reviewedHigh = findings.filter((f) => f.severity.toUpperCase() === 'HIGH' && isReviewed(f, reviewed));
    process.stdout.write(
      `Electronegativity (Electron ${electronVersion}) on ${SCANNED_DIRS.join(', ')}: ${findings.length} findings, ` +
        `${blocking.length} high-severity to fix, ${reviewedHigh.length} high-severity reviewed in ${REVIEWED_PATH}\n`,
    );
    for (const f of blocking) process.stderr.write(`${describeFinding(f)}\n`);
    process.exitCode = blocking.length === 0 ? 0 : 1;
  } catch (err) {
    process.stderr.write(`lint:electron: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  }
}
