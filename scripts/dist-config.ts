// The electron-builder configuration as electron-builder itself reads it,
// and the files it would put into the app: the same loader, schema check
// and file matchers `npm run dist` goes through, without its downloads.
import type { Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Configuration } from 'app-builder-lib';
import type * as FileMatcherApi from 'app-builder-lib/out/fileMatcher';
import type * as ConfigApi from 'app-builder-lib/out/util/config/config';
import type * as BuilderUtilApi from 'builder-util';

/** Relative to the project root; `npm run dist` passes it with --config. */
export const DIST_CONFIG_PATH = 'build/electron-builder.yml';

// electron-builder is CommonJS without an exports map: its internals load
// through require, typed from its own declarations.
const require = createRequire(import.meta.url);
type ConfigModule = typeof ConfigApi;
type Expander = (pattern: string) => string;
type PlatformOptions = NonNullable<Configuration['linux']>;
/** Marked @internal in electron-builder, so absent from its declarations; these are their signatures. */
interface InternalMatchers {
  getMainFileMatchers(appDir: string, destination: string, macroExpander: Expander, platformOptions: PlatformOptions, platformPackager: unknown, outDir: string, isElectronCompile: boolean): FileMatcherApi.FileMatcher[];
  getNodeModuleFileMatcher(appDir: string, destination: string, macroExpander: Expander, platformOptions: PlatformOptions, packager: unknown): FileMatcherApi.FileMatcher;
}
type MatcherModule = typeof FileMatcherApi & InternalMatchers;
type BuilderUtil = typeof BuilderUtilApi;

function builderModules(): { config: ConfigModule; matcher: MatcherModule; util: BuilderUtil } {
  return {
    config: require('app-builder-lib/out/util/config/config') as ConfigModule,
    matcher: require('app-builder-lib/out/fileMatcher') as MatcherModule,
    util: require('builder-util') as BuilderUtil,
  };
}

/** Loads the configuration file and checks it against electron-builder's schema; throws what is wrong. */
export async function loadDistConfig(root: string, configPath = DIST_CONFIG_PATH): Promise<Configuration> {
  const loaded = await builderModules().config.getConfig(root, configPath, null);
  await validateDistConfig(loaded);
  return loaded;
}

export async function validateDistConfig(configuration: Configuration): Promise<void> {
  const { config, util } = builderModules();
  await config.validateConfiguration(configuration, new util.DebugLogger(false));
}

type Filter = (file: string, stat: Stats) => boolean;

function noMacros(pattern: string): string {
  return pattern;
}

/** The minimum of electron-builder's packager that its file matchers read. */
function packagerView(root: string, configuration: Configuration) {
  const { util } = builderModules();
  return {
    info: {
      projectDir: root,
      buildResourcesDir: configuration.directories?.buildResources ?? 'build',
      config: configuration,
      isPrepackedAppAsar: false,
      debugLogger: new util.DebugLogger(false),
    },
  };
}

async function walk(dir: string, filter: Filter, root: string, out: string[]): Promise<void> {
  for (const name of (await readdir(dir)).sort()) {
    const file = path.join(dir, name);
    const stat = await lstat(file);
    if (!filter(file, stat)) continue;
    if (stat.isDirectory()) await walk(file, filter, root, out);
    else out.push(path.relative(root, file).split(path.sep).join('/'));
  }
}

function outDir(root: string, configuration: Configuration): string {
  return path.resolve(root, configuration.directories?.output ?? 'dist');
}

/** The project's own files (node_modules aside) that go into app.asar, relative to the root. */
export async function packagedAppFiles(root: string, configuration: Configuration): Promise<string[]> {
  const { matcher } = builderModules();
  // getMainFileMatchers adds electron-builder's default exclusions to our patterns, as in a real build.
  const matchers = matcher.getMainFileMatchers(
    root,
    '/app',
    noMacros,
    configuration.linux ?? {},
    packagerView(root, configuration),
    outDir(root, configuration),
    false,
  );
  const out: string[] = [];
  for (const m of matchers) await walk(m.from, m.createFilter(), root, out);
  return out;
}

/** Files of one installed dependency that survive the `files` exclusions, relative to the root. */
export async function packagedModuleFiles(root: string, configuration: Configuration, moduleName: string): Promise<string[]> {
  const { matcher } = builderModules();
  const nodeModules = matcher.getNodeModuleFileMatcher(root, '/app', noMacros, configuration.linux ?? {}, packagerView(root, configuration).info);
  const out: string[] = [];
  await walk(path.join(root, 'node_modules', moduleName), nodeModules.createFilter(), root, out);
  return out;
}

/** Whether a packaged file (relative to the root) is kept outside app.asar. */
export function unpackedFromAsar(root: string, configuration: Configuration, relativeFile: string): boolean {
  const { matcher } = builderModules();
  const matchers = matcher.getFileMatchers(configuration, 'asarUnpack', '/app', {
    macroExpander: noMacros,
    customBuildOptions: configuration.linux ?? {},
    globalOutDir: outDir(root, configuration),
    defaultSrc: root,
  });
  const file = path.join(root, relativeFile);
  const stat = { isDirectory: () => false, isFile: () => true } as Stats;
  return (matchers ?? []).some((m) => m.createFilter()(file, stat));
}
