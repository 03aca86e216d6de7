import { APP_DIR_NAME } from '../engine/data-dir';
import type { ZucError } from '../shared/errors';
import { installAppMenu } from './app-menu';
import type { DesktopPaths } from './bundle-layout';
import type { DesktopElectron, WindowPort } from './electron-ports';
import { createEngineProcess, type EngineProcess } from './engine-process';
import { isConsoleFrame } from './ipc-sender';
import { routeContract } from './ipc-router';
import { createMainWindow } from './main-window';
import { guardSession } from './session-guard';
import { guardWebContents } from './web-contents-guard';

export interface DesktopApp {
  /** Resolves once the engine runs and the window is created; false when another instance already runs. */
  readonly ready: Promise<boolean>;
  window(): WindowPort | null;
  readonly engine: EngineProcess | null;
}

/**
 * The desktop shell's lifecycle: one instance, every web contents locked
 * down, the engine in a utility process, the contract routed over IPC, one
 * window. On quit the engine is asked to close its database first.
 */
export function startDesktopApp(electron: DesktopElectron, paths: DesktopPaths, log: (line: string) => void = () => {}): DesktopApp {
  const { app } = electron;
  let window: WindowPort | null = null;
  let engine: EngineProcess | null = null;

  app.setName(APP_DIR_NAME);
  // Two instances would fight over the same serial ports and database.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { ready: Promise.resolve(false), window: () => null, engine: null };
  }
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, { shell: electron.shell, log }));
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (!engine?.running) return;
    event.preventDefault();
    void engine.stop().then(() => app.quit());
  });

  const openWindow = () => {
    const opened = createMainWindow(electron.BrowserWindow, paths, log);
    // A crashed page would leave a blank window; the page mirrors the engine, so reloading loses nothing.
    opened.webContents.on('render-process-gone', (_event, details) => {
      log(`the console page stopped (${details.reason}, exit code ${details.exitCode}); reloading it`);
      if (!opened.isDestroyed()) opened.webContents.reload();
    });
    opened.on('closed', () => (window = null));
    window = opened;
  };

  const ready = app.whenReady().then(() => {
    guardSession(electron.session.defaultSession);
    installAppMenu(electron.Menu, { shell: electron.shell, isPackaged: app.isPackaged, platform: process.platform });
    engine = createEngineProcess({ utilityProcess: electron.utilityProcess, entryPath: paths.engineEntryPath, log });
    engine.onGaveUp((error: ZucError) => showEngineDown(electron, error));
    engine.start();
    routeContract({
      ipcMain: electron.ipcMain,
      engine,
      isTrustedSender: (event) => isConsoleFrame(event, window, paths.rendererDir),
      target: () => (window && !window.isDestroyed() ? window.webContents : null),
      log,
    });
    openWindow();
    app.on('activate', () => {
      if (!window) openWindow();
    });
    return true;
  });

  return {
    ready,
    window: () => window,
    get engine() {
      return engine;
    },
  };
}

function showEngineDown(electron: DesktopElectron, error: ZucError): void {
  const { title, cause, remedy, code } = error.entry;
  electron.dialog.showErrorBox(`${code} ${title}`, `${error.detail}\n\n${cause}\n\n${remedy}`);
}
