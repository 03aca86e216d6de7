// Builds the desktop app into .build/desktop/: main and the engine host as
// ES modules, the preload as one CommonJS file (a sandboxed preload can
// require nothing but 'electron'), and a copy of the built renderer whose
// index.html carries the content security policy.
import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'vite';
import { BUNDLE_FILES } from '../electron/main/bundle-layout';
import { CONTENT_SECURITY_POLICY } from '../electron/main/content-security-policy';

/** Native or Electron-provided: loaded from node_modules (or by Electron) at run time, never bundled. */
export const RUNTIME_EXTERNALS = ['electron', 'better-sqlite3', 'serialport', 'usb'];
/** The sandboxed preload gets only Electron's own modules. */
const PRELOAD_EXTERNALS = ['electron'];

export interface BundleTarget {
  entry: string;
  fileName: string;
  format: 'es' | 'cjs';
  externals: readonly string[];
}

export function desktopTargets(root: string): BundleTarget[] {
  return [
    { entry: path.join(root, 'electron/main/index.ts'), fileName: BUNDLE_FILES.main, format: 'es', externals: RUNTIME_EXTERNALS },
    { entry: path.join(root, 'electron/engine/host/utility-entry.ts'), fileName: BUNDLE_FILES.engineHost, format: 'es', externals: RUNTIME_EXTERNALS },
    { entry: path.join(root, 'electron/engine/delta/delta-worker.ts'), fileName: BUNDLE_FILES.deltaWorker, format: 'es', externals: RUNTIME_EXTERNALS },
    { entry: path.join(root, 'electron/preload/index.ts'), fileName: BUNDLE_FILES.preload, format: 'cjs', externals: PRELOAD_EXTERNALS },
  ];
}

/** Bundles one entry with everything it imports except `externals`. */
export async function bundle(root: string, outDir: string, target: BundleTarget): Promise<void> {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      ssr: target.entry,
      outDir,
      emptyOutDir: false,
      target: 'node22',
      minify: false,
      sourcemap: true,
      copyPublicDir: false,
      rolldownOptions: {
        output: { format: target.format, entryFileNames: target.fileName, codeSplitting: false },
      },
    },
    ssr: { target: 'node', noExternal: true, external: [...target.externals] },
  });
}

/** The built renderer with our CSP as a meta tag: file:// responses carry no headers to put it in. */
export function withCspMeta(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`;
  if (/http-equiv=["']Content-Security-Policy["']/i.test(html)) return html;
  // After <meta charset>, which must come first; else first in <head>.
  const charset = /<meta\s+charset=[^>]*>/i;
  if (charset.test(html)) return html.replace(charset, (tag) => `${tag}\n    ${meta}`);
  if (!/<head[^>]*>/i.test(html)) throw new Error('the built renderer index.html has no <head>');
  return html.replace(/<head[^>]*>/i, (head) => `${head}\n    ${meta}`);
}

export async function copyRenderer(rendererDist: string, outDir: string): Promise<void> {
  const indexHtml = path.join(rendererDist, 'index.html');
  const html = await readFile(indexHtml, 'utf8').catch(() => {
    throw new Error(`${indexHtml} is missing: the renderer build did not produce a page`);
  });
  const target = path.join(outDir, BUNDLE_FILES.rendererDir);
  await rm(target, { recursive: true, force: true });
  await cp(rendererDist, target, { recursive: true });
  await writeFile(path.join(target, 'index.html'), withCspMeta(html));
}

function runNpm(root: string, script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const child = spawn(npm, ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run ${script} exited with ${code}`))));
  });
}

export interface DesktopBuildOptions {
  /** Where the app goes; default `.build/desktop` under the root. */
  outDir?: string;
  /** Run `npm run build:renderer` first (default); false reuses renderer/dist as it is. */
  buildRenderer?: boolean;
}

/** Builds everything `electron .build/desktop` needs; returns the app folder. */
export async function buildDesktop(root: string, options: DesktopBuildOptions = {}): Promise<string> {
  const outDir = options.outDir ?? path.join(root, '.build', 'desktop');
  if (options.buildRenderer ?? true) await runNpm(root, 'build:renderer');
  await mkdir(outDir, { recursive: true });
  // node_modules holds the Electron builds of native modules (electron-native.ts); they outlive rebuilds.
  for (const entry of await readdir(outDir)) {
    if (entry !== 'node_modules') await rm(path.join(outDir, entry), { recursive: true, force: true });
  }
  for (const target of desktopTargets(root)) await bundle(root, outDir, target);
  await copyRenderer(path.join(root, 'renderer', 'dist'), outDir);
  const manifest = { name: 'zte-update-console', private: true, type: 'module', main: BUNDLE_FILES.main };
  await writeFile(path.join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return outDir;
}

if (import.meta.filename === process.argv[1]) {
  buildDesktop(path.resolve(import.meta.dirname, '..')).then(
    (outDir) => process.stdout.write(`desktop app built in ${outDir}\n`),
    (err: unknown) => {
      process.stderr.write(`build-desktop: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
