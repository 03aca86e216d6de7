// Native modules for the desktop app. better-sqlite3 is built against V8's
// C++ API, so the copy `npm ci` installed for Node cannot load in Electron.
// The desktop app gets its own copy under .build/desktop/node_modules with
// Electron's prebuilt binary, leaving node_modules (CLI, station, tests)
// untouched. serialport and usb use N-API and load in both as they are.
import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FetchOutcome } from './electron-runtime';

/** Packages that need a build for Electron's ABI. */
export const ELECTRON_ABI_MODULES = ['better-sqlite3'] as const;
export const NATIVE_FETCH_TIMEOUT_MS = 120_000;
const MARKER = '.electron-build';

export interface NativePrepOptions {
  root: string;
  appDir: string;
  electronVersion: string;
  arch?: string;
  /** The prebuild-install CLI; defaults to the one in node_modules. */
  prebuildInstall?: string;
  timeoutMs?: number;
}

/** Gives the desktop app Electron builds of the native modules that need one; reuses earlier ones. */
export async function prepareElectronNativeModules(options: NativePrepOptions): Promise<FetchOutcome> {
  const arch = options.arch ?? process.arch;
  const wanted = `electron-${options.electronVersion}-${process.platform}-${arch}`;
  const prebuild = options.prebuildInstall ?? path.join(options.root, 'node_modules', 'prebuild-install', 'bin.js');
  for (const name of ELECTRON_ABI_MODULES) {
    const target = path.join(options.appDir, 'node_modules', name);
    if ((await readFile(path.join(target, MARKER), 'utf8').catch(() => '')) === wanted) continue;
    await rm(target, { recursive: true, force: true });
    await mkdir(path.dirname(target), { recursive: true });
    const source = path.join(options.root, 'node_modules', name);
    await cp(source, target, { recursive: true, filter: (file) => !file.startsWith(path.join(source, 'build')) });
    const args = [prebuild, '--runtime', 'electron', '--target', options.electronVersion, '--arch', arch];
    const outcome = await runTool(args, target, options.timeoutMs ?? NATIVE_FETCH_TIMEOUT_MS);
    if (!outcome.ok) {
      await rm(target, { recursive: true, force: true });
      return { ok: false, reason: `${name} for Electron ${options.electronVersion}: ${outcome.reason}` };
    }
    await writeFile(path.join(target, MARKER), wanted);
  }
  return { ok: true };
}

function runTool(args: string[], cwd: string, timeoutMs: number): Promise<FetchOutcome> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-8_192));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: err.message });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ ok: true });
      if (signal === 'SIGKILL') return resolve({ ok: false, reason: `no prebuilt binary within ${Math.round(timeoutMs / 1000)} s` });
      const last = output.split(/\r?\n/).map((l) => l.replace(/^prebuild-install (warn|err!?|info)\s*/i, '').trim()).filter(Boolean).at(-1);
      resolve({ ok: false, reason: last ?? `prebuild-install exited with code ${code}` });
    });
  });
}
