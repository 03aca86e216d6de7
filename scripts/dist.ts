// `npm run dist`: installers for the desktop console. Makes sure the
// Electron runtime can be had (the same fetch as `npm start`), builds the
// desktop bundle, then runs electron-builder with build/electron-builder.yml.
// Arguments after `--` go to electron-builder (`npm run dist -- --win`).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { electronExecutable, runRuntimeInstaller, type FetchOutcome } from './electron-runtime';
import { DIST_CONFIG_PATH } from './dist-config';

export const EXIT_NO_RUNTIME = 3;
export const EXIT_BUILD_FAILED = 1;

export interface DistDeps {
  /** The Electron executable, or null when the runtime is not installed. */
  findRuntime(): string | null;
  fetchRuntime(): Promise<FetchOutcome>;
  /** Builds the desktop bundle (.build/desktop). */
  build(): Promise<string>;
  /** Runs electron-builder with these arguments; resolves to its exit status. */
  runBuilder(args: string[]): Promise<number>;
  info(line: string): void;
  fail(message: string): void;
}

export interface DistOptions {
  /** What the user passed after `--`. */
  userArgs: readonly string[];
  /** The unpacked runtime (node_modules/electron/dist), reused for builds for this machine's platform. */
  electronDistDir: string;
  hostPlatform: NodeJS.Platform;
}

export function runtimeMissingMessage(reason: string): string {
  return (
    `npm run dist cannot package the console: the Electron runtime is not installed and could not be downloaded (${reason}).\n` +
    'Packaging needs the Electron runtime and electron-builder’s packaging tools, all downloaded from github.com: run it on a machine with internet access (docs/packaging.md).'
  );
}

const PLATFORM_FLAGS: Record<string, NodeJS.Platform> = { '--linux': 'linux', '-l': 'linux', '--win': 'win32', '-w': 'win32', '--mac': 'darwin', '-m': 'darwin' };

/** electron-builder's arguments: our config, and the local runtime when every target is for this platform. */
export function builderArgs(options: DistOptions): string[] {
  const args = ['--config', DIST_CONFIG_PATH];
  const platforms = options.userArgs.map((a) => PLATFORM_FLAGS[a]).filter((p): p is NodeJS.Platform => p !== undefined);
  // The runtime in node_modules is this platform's; other platforms' runtimes electron-builder downloads itself.
  if (platforms.every((p) => p === options.hostPlatform)) args.push(`-c.electronDist=${options.electronDistDir}`);
  return [...args, ...options.userArgs];
}

/** Decides what `npm run dist` does; returns the exit status. Never throws. */
export async function dist(deps: DistDeps, options: DistOptions): Promise<number> {
  if (!deps.findRuntime()) {
    deps.info('Electron runtime not found; trying to download it…');
    const fetched = await deps.fetchRuntime().catch((err: unknown): FetchOutcome => ({ ok: false, reason: errorText(err) }));
    if (!(fetched.ok && deps.findRuntime())) {
      deps.fail(runtimeMissingMessage(fetched.ok ? 'the installer finished but left no runtime in node_modules/electron/dist' : fetched.reason));
      return EXIT_NO_RUNTIME;
    }
  }
  try {
    await deps.build();
  } catch (err) {
    deps.fail(`npm run dist: the desktop app could not be built: ${errorText(err)}`);
    return EXIT_BUILD_FAILED;
  }
  return deps.runBuilder(builderArgs(options));
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

function runElectronBuilder(root: string, args: string[]): Promise<number> {
  const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('electron-builder/package.json')), 'cli.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
    child.on('error', (err) => {
      process.stderr.write(`electron-builder could not be started: ${err.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (import.meta.filename === process.argv[1]) {
  const root = path.resolve(import.meta.dirname, '..');
  const electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  process.exitCode = await dist(
    {
      findRuntime: () => electronExecutable(electronDir),
      fetchRuntime: async () =>
        process.env.ELECTRON_SKIP_BINARY_DOWNLOAD
          ? { ok: false, reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so no download was tried' }
          : runRuntimeInstaller(path.join(electronDir, 'install.js')),
      build: async () => (await import('./build-desktop')).buildDesktop(root),
      runBuilder: (args) => runElectronBuilder(root, args),
      info: (line) => process.stdout.write(`${line}\n`),
      fail: (message) => process.stderr.write(`${message}\n`),
    },
    { userArgs: process.argv.slice(2), electronDistDir: path.join(electronDir, 'dist'), hostPlatform: process.platform },
  );
}
