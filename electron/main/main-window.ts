import type { WindowConstructor, WindowOptions, WindowPort } from './electron-ports';
import type { WindowState } from './window-state';

/** Below this the terminal table and the flash dialog no longer fit. */
export const MAIN_WINDOW_MIN_SIZE = { width: 960, height: 600 } as const;

export interface MainWindowPaths {
  /** The bundled preload script (one CommonJS file: sandboxed preloads cannot load modules). */
  preloadPath: string;
  /** The built renderer's index.html, loaded over file://. */
  indexHtmlPath: string;
}

/** Window options with every security switch set explicitly, none relaxed; the size and place of the last run when known. */
export function mainWindowOptions(preloadPath: string, state: WindowState | null = null): WindowOptions {
  return {
    ...(state ? { x: state.x, y: state.y } : {}),
    width: state?.width ?? 1280,
    height: state?.height ?? 800,
    minWidth: MAIN_WINDOW_MIN_SIZE.width,
    minHeight: MAIN_WINDOW_MIN_SIZE.height,
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

export function createMainWindow(BrowserWindow: WindowConstructor, paths: MainWindowPaths, log: (line: string) => void = () => {}, state: WindowState | null = null): WindowPort {
  const window = new BrowserWindow(mainWindowOptions(paths.preloadPath, state));
  if (state?.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.loadFile(paths.indexHtmlPath).catch((err: unknown) => log(`could not load ${paths.indexHtmlPath}: ${String(err)}`));
  return window;
}
