// lint:electron runs the real Electronegativity: on a window opened with
// the isolation switched off it must fail, on the app's own main and
// preload it must pass with only the reviewed exceptions.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockingFindings, findingsFrom, loadReviewed, scanElectronSources, type Finding } from './dist-electron-security';

const root = path.resolve(import.meta.dirname, '..');
const SCAN_TEST_TIMEOUT_MS = 150_000;
const UNSAFE_WINDOW = `import { BrowserWindow } from 'electron';
export function open(): BrowserWindow {
  return new BrowserWindow({ webPreferences: { contextIsolation: false, nodeIntegration: true, sandbox: false } });
}
`;

async function electronVersion(): Promise<string> {
  return (JSON.parse(await readFile(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
}

function finding(overrides: Partial<Finding>): Finding {
  return { check: 'CONTEXT_ISOLATION_JS_CHECK', severity: 'HIGH', confidence: 'FIRM', file: 'electron/main/w.ts', location: '1:1', sample: 'new BrowserWindow(o)', description: '', ...overrides };
}

describe('findings', () => {
  it('refuses a scan in which a file could not be parsed: that file was not checked', () => {
    const result = { errors: [{ file: '/scan/electron/main/w.ts', message: 'Unexpected token (1:14)', tolerable: false }], issues: [] };
    expect(() => findingsFrom(result, '/scan')).toThrow('could not parse, so did not check: electron/main/w.ts (Unexpected token (1:14))');
    expect(findingsFrom({ ...result, errors: [{ ...result.errors[0]!, tolerable: true }] }, '/scan')).toEqual([]);
  });

  it('lets only high-severity findings through, and a review only for the exact line it reviewed', () => {
    const reviewed = [{ check: 'CONTEXT_ISOLATION_JS_CHECK', file: 'electron/main/w.ts', sample: 'new BrowserWindow(o)', reason: 'options set with isolation on in o' }];
    expect(blockingFindings([finding({}), finding({ severity: 'MEDIUM', check: 'SANDBOX_JS_CHECK' })], reviewed)).toEqual([]);
    const changed = finding({ sample: 'new BrowserWindow(other)' });
    expect(blockingFindings([changed], reviewed)).toEqual([changed]);
  });
});

describe('Electronegativity scan', () => {
  let project: string;

  beforeAll(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), 'zuc-lint-electron-'));
    await mkdir(path.join(project, 'electron', 'main'), { recursive: true });
    await writeFile(path.join(project, 'electron', 'main', 'unsafe-window.ts'), UNSAFE_WINDOW);
    // Tests open fake windows on purpose; they do not ship and are not scanned.
    await writeFile(path.join(project, 'electron', 'main', 'unsafe-window.test.ts'), UNSAFE_WINDOW);
    await mkdir(path.join(project, 'electron', 'broken'), { recursive: true });
    await writeFile(path.join(project, 'electron', 'broken', 'half-written.ts'), 'export const window = new BrowserWindow({ ;\n');
  });

  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it(
    'fails a window opened without context isolation and an app without navigation limits, naming the file, and skips tests',
    async () => {
      const findings = await scanElectronSources(project, { dirs: ['electron/main'], electronVersion: await electronVersion() });
      const blocking = blockingFindings(findings, []);
      expect(blocking.map((f) => f.check)).toContain('CONTEXT_ISOLATION_JS_CHECK');
      expect(blocking.map((f) => f.check)).toContain('LIMIT_NAVIGATION_GLOBAL_CHECK');
      const perFile = blocking.filter((f) => f.file !== 'N/A');
      expect(new Set(perFile.map((f) => f.file))).toEqual(new Set(['electron/main/unsafe-window.ts']));
    },
    SCAN_TEST_TIMEOUT_MS,
  );

  it(
    'fails when a source cannot be parsed, naming it',
    async () => {
      await expect(scanElectronSources(project, { dirs: ['electron/broken'], electronVersion: await electronVersion() })).rejects.toThrow(
        /did not check: electron\/broken\/half-written\.ts/,
      );
    },
    SCAN_TEST_TIMEOUT_MS,
  );

  it(
    'passes the app’s main and preload with only the reviewed exceptions',
    async () => {
      const findings = await scanElectronSources(root, { electronVersion: await electronVersion() });
      expect(findings.length).toBeGreaterThan(0);
      expect(blockingFindings(findings, await loadReviewed(root))).toEqual([]);
    },
    SCAN_TEST_TIMEOUT_MS,
  );
});
