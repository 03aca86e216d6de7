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

/** Splits the tool's CSV output (RFC 4180 quoting) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f.trim() !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f.trim() !== '')) rows.push(row);
  return rows;
}

export function parseFindings(csv: string): Finding[] {
  const [header, ...rows] = parseCsv(csv);
  if (!header || header[0]?.trim() !== 'issue') throw new Error('Electronegativity wrote no findings table');
  return rows.map(([check = '', severity = '', confidence = '', file = '', location = '', sample = '', description = '']) => ({
    check,
    severity,
    confidence,
    file,
    location,
    sample,
    description,
  }));
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

function electronegativityCli(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
}

function runTool(args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(process.execPath, [electronegativityCli(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    const csv = path.join(work, 'findings.csv');
    await runTool(['-i', input, '-r', '-v', 'false', '-e', options.electronVersion, '-o', csv], options.timeoutMs ?? SCAN_TIMEOUT_MS);
    return parseFindings(await readFile(csv, 'utf8'));
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
