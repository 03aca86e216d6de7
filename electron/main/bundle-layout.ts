import path from 'node:path';

/**
 * File names inside the desktop bundle (.build/desktop/), written by
 * scripts/build-desktop.ts and read by main at run time: one definition so
 * the two cannot drift apart.
 */
export const BUNDLE_FILES = {
  main: 'main.mjs',
  // CommonJS: a sandboxed preload is a classic script, not a module.
  preload: 'preload.cjs',
  engineHost: 'engine-host.mjs',
  // Next to the engine host, where the delta codec looks for its worker thread (same extension).
  deltaWorker: 'delta-worker.mjs',
  rendererDir: 'renderer',
} as const;

export interface DesktopPaths {
  preloadPath: string;
  engineEntryPath: string;
  rendererDir: string;
  indexHtmlPath: string;
}

export function desktopPaths(bundleDir: string): DesktopPaths {
  const rendererDir = path.join(bundleDir, BUNDLE_FILES.rendererDir);
  return {
    preloadPath: path.join(bundleDir, BUNDLE_FILES.preload),
    engineEntryPath: path.join(bundleDir, BUNDLE_FILES.engineHost),
    rendererDir,
    indexHtmlPath: path.join(rendererDir, 'index.html'),
  };
}
