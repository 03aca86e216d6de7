import type { WindowConstructor, WindowOptions, WindowPort } from './electron-ports';

export interface MainWindowPaths {
  /** The bundled preload script (one CommonJS file: sandboxed preloads cannot load modules). */
  preloadPath: string;
  /** The built renderer's index.html, loaded over file://. */
  indexHtmlPath: string;
}

/** Window options with every security switch set explicitly, none relaxed. */
export function mainWindowOptions(preloadPath: string): WindowOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'ZTE Update Console',
    // Shown on ready-to-show so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#1e1f22',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

export function createMainWindow(BrowserWindow: WindowConstructor, paths: MainWindowPaths, log: (line: string) => void = () => {}): WindowPort {
  const window = new BrowserWindow(mainWindowOptions(paths.preloadPath));
  window.once('ready-to-show', () => window.show());
  window.loadFile(paths.indexHtmlPath).catch((err: unknown) => log(`could not load ${paths.indexHtmlPath}: ${String(err)}`));
  return window;
}
