import { APP_DIR_NAME } from '../engine/data-dir';
import type { ZucError } from '../shared/errors';
import { installAppMenu } from './app-menu';
import { indicateBatchProgress, type BatchIndicator } from './batch-indicator';
import type { DesktopPaths } from './bundle-layout';
import type { DesktopElectron, WindowPort } from './electron-ports';
import { createEngineProcess, type EngineProcess } from './engine-process';
import { isConsoleFrame } from './ipc-sender';
import { routeContract } from './ipc-router';
import { createMainWindow } from './main-window';
import { guardQuitDuringJobs } from './quit-guard';
import { guardSession } from './session-guard';
import { shellText, type ShellText } from './shell-text';
import { guardWebContents } from './web-contents-guard';
import { readWindowState, saveWindowState, windowStateOf } from './window-state';

export interface DesktopApp {
  /** Resolves once the engine runs and the window is created; false when another instance already runs. */
  readonly ready: Promise<boolean>;
  window(): WindowPort | null;
  readonly engine: EngineProcess | null;
}

export interface DesktopOptions {
  /** Default process.platform: the menu, the dock badge. */
  platform?: NodeJS.Platform;
  /** How long the last job of a batch must stay the last before the batch counts as ended. */
  batchSettleMs?: number;
}

/**
 * The desktop shell's lifecycle: one instance, every web contents locked
 * down, the engine in a utility process, the contract routed over IPC, one
 * window at the size and place of the last run, batch progress in the
 * taskbar or dock and a notification when it ends. Closing while jobs run
 * asks first; on quit the engine is asked to close its database first.
 */
export function startDesktopApp(electron: DesktopElectron, paths: DesktopPaths, log: (line: string) => void = () => {}, options: DesktopOptions = {}): DesktopApp {
  const { app } = electron;
  const platform = options.platform ?? process.platform;
  let window: WindowPort | null = null;
  let engine: EngineProcess | null = null;
  let indicator: BatchIndicator | null = null;

  /** In the language the technician chose in the console's settings. */
  const text = async (): Promise<ShellText> => shellText((await engine?.call('getSettings', {}).catch(() => null))?.language);
  const quitGuard = guardQuitDuringJobs(
    () => indicator?.unfinishedJobs ?? 0,
    async (running) => {
      const t = await text();
      const { response } = await electron.dialog.showMessageBox({
        type: 'warning',
        title: t.quitTitle,
        message: t.quitMessage(running),
        detail: t.quitDetail,
        buttons: [t.stay, t.quitAnyway],
        // Enter and Escape both keep the jobs running: quitting takes a deliberate click.
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      });
      return response === 1;
    },
  );

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
    if (!quitGuard.mayQuit(event, () => app.quit())) return;
    if (!engine?.running) return;
    event.preventDefault();
    void engine.stop().then(() => app.quit());
  });

  const openWindow = () => {
    const userData = app.getPath('userData');
    const state = readWindowState(
      userData,
      electron.screen.getAllDisplays().map((d) => d.workArea),
      log,
    );
    const opened = createMainWindow(electron.BrowserWindow, paths, log, state);
    opened.on('close', (event) => {
      if (!quitGuard.mayQuit(event, () => opened.close())) return;
      try {
        saveWindowState(userData, windowStateOf(opened));
      } catch (err) {
        log(`could not remember the window's size and place in ${userData}: ${String(err)}`);
      }
    });
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
    const installMenu = (t: ShellText) => installAppMenu(electron.Menu, { shell: electron.shell, isPackaged: app.isPackaged, platform, text: t.menu });
    installMenu(shellText(null));
    engine = createEngineProcess({ utilityProcess: electron.utilityProcess, entryPath: paths.engineEntryPath, log });
    engine.onGaveUp((error: ZucError) => showEngineDown(electron, error));
    engine.start();
    // The menu follows the language chosen in the console's settings, now and whenever it changes.
    void text().then(installMenu);
    engine.onEvent((name, payload) => {
      if (name === 'onSettingsChanged') installMenu(shellText((payload as { language?: string }).language));
    });
    indicator = indicateBatchProgress({
      engine,
      window: () => window,
      app,
      Notification: electron.Notification,
      platform,
      text,
      ...(options.batchSettleMs === undefined ? {} : { settleMs: options.batchSettleMs }),
      log,
    });
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
