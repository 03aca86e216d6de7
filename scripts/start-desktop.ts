// `npm start`: the console as a desktop window. Builds the app and launches
// Electron; without an Electron runtime it tries to fetch one, and failing
// that says in one message how to run the same console in a browser.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { electronExecutable, runRuntimeInstaller, type FetchOutcome } from './electron-runtime';
import { prepareElectronNativeModules } from './electron-native';

export const EXIT_NO_RUNTIME = 3;
export const EXIT_NO_NATIVE_MODULES = 4;
export const EXIT_BUILD_FAILED = 1;

export interface StartDesktopDeps {
  /** The Electron executable, or null when the runtime is not installed. */
  findRuntime(): string | null;
  fetchRuntime(): Promise<FetchOutcome>;
  /** Builds the app; resolves to the folder Electron opens. */
  build(): Promise<string>;
  /** Gives the app native modules built for Electron (better-sqlite3). */
  prepareNative(appDir: string): Promise<FetchOutcome>;
  /** Runs Electron on the app until it exits; resolves to its exit status. */
  launch(executable: string, appDir: string): Promise<number>;
  /** Progress, for the terminal. */
  info(line: string): void;
  /** The one message shown when the console cannot start. */
  fail(message: string): void;
}

const BROWSER_HINT = 'The same console runs in your browser: run `npm run demo` (the station, with simulated terminals) and open the URL it prints.';

export function runtimeMissingMessage(reason: string): string {
  return `The desktop console cannot start: the Electron runtime is not installed and could not be downloaded (${reason}).\n${BROWSER_HINT}`;
}

export function nativeModulesMissingMessage(reason: string): string {
  return `The desktop console cannot start: its database module could not be fetched in the build Electron needs (${reason}).\n${BROWSER_HINT}`;
}

/** Decides what `npm start` does; returns the exit status. Never throws. */
export async function startDesktop(deps: StartDesktopDeps): Promise<number> {
  let executable = deps.findRuntime();
  if (!executable) {
    deps.info('Electron runtime not found; trying to download it…');
    const fetched = await deps.fetchRuntime().catch((err: unknown): FetchOutcome => ({ ok: false, reason: errorText(err) }));
    executable = fetched.ok ? deps.findRuntime() : null;
    if (!executable) {
      deps.fail(runtimeMissingMessage(fetched.ok ? 'the installer finished but left no runtime in node_modules/electron/dist' : fetched.reason));
      return EXIT_NO_RUNTIME;
    }
  }
  let appDir: string;
  try {
    appDir = await deps.build();
  } catch (err) {
    deps.fail(`The desktop console could not be built: ${errorText(err)}`);
    return EXIT_BUILD_FAILED;
  }
  const native = await deps.prepareNative(appDir).catch((err: unknown): FetchOutcome => ({ ok: false, reason: errorText(err) }));
  if (!native.ok) {
    deps.fail(nativeModulesMissingMessage(native.reason));
    return EXIT_NO_NATIVE_MODULES;
  }
  return deps.launch(executable, appDir);
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

function launchElectron(executable: string, appDir: string): Promise<number> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    // Set in some shells and CI images; it would make Electron act as plain Node.
    delete env.ELECTRON_RUN_AS_NODE;
    const child = spawn(executable, [appDir], { stdio: 'inherit', env });
    child.on('error', (err) => {
      process.stderr.write(`Electron could not be started: ${err.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function electronVersion(electronDir: string): string {
  return (JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')) as { version: string }).version;
}

if (import.meta.filename === process.argv[1]) {
  const root = path.resolve(import.meta.dirname, '..');
  const electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const status = await startDesktop({
    findRuntime: () => electronExecutable(electronDir),
    fetchRuntime: async () =>
      process.env.ELECTRON_SKIP_BINARY_DOWNLOAD
        ? { ok: false, reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so no download was tried' }
        : runRuntimeInstaller(path.join(electronDir, 'install.js')),
    build: async () => (await import('./build-desktop')).buildDesktop(root),
    prepareNative: (appDir) => prepareElectronNativeModules({ root, appDir, electronVersion: electronVersion(electronDir) }),
    launch: launchElectron,
    info: (line) => process.stdout.write(`${line}\n`),
    fail: (message) => process.stderr.write(`${message}\n`),
  });
  process.exitCode = status;
}
