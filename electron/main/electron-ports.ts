/**
 * The slices of Electron's main-process API the desktop shell uses, as
 * structural types. The real modules satisfy them (index.ts passes them in
 * and the compiler checks it); tests pass fakes that keep the same rules.
 */

export interface PreventableEvent {
  preventDefault(): void;
}

export interface FramePort {
  readonly url: string;
  /** True once the frame navigated away or was removed. */
  readonly detached: boolean;
  readonly processId: number;
  readonly routingId: number;
  readonly parent: FramePort | null;
}

export interface WebContentsPort {
  readonly id: number;
  readonly mainFrame: FramePort;
  isDestroyed(): boolean;
  /** Throws once the contents are destroyed, like Electron. */
  send(channel: string, ...args: unknown[]): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate', listener: (event: PreventableEvent & { url: string }) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent & { url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string; exitCode: number }) => void): unknown;
  reload(): void;
}

/** The security-relevant part of Electron's WebPreferences; every field is set explicitly. */
export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  experimentalFeatures: false;
  navigateOnDragDrop: false;
  spellcheck: false;
}

export interface WindowOptions {
  /** Left edge on the virtual screen; absent to let the system place the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  title: string;
  show: boolean;
  backgroundColor: string;
  webPreferences: SecureWebPreferences;
}

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowPort {
  readonly webContents: WebContentsPort;
  loadFile(filePath: string): Promise<void>;
  show(): void;
  focus(): void;
  close(): void;
  isMinimized(): boolean;
  restore(): void;
  isDestroyed(): boolean;
  isMaximized(): boolean;
  maximize(): void;
  getBounds(): Rectangle;
  /** The bounds the window has when not maximized, minimized or full screen. */
  getNormalBounds(): Rectangle;
  /** 0..1 shows progress in the taskbar or dock; below 0 removes it. */
  setProgressBar(progress: number, options?: { mode: 'normal' | 'error' | 'paused' | 'indeterminate' }): void;
  once(event: 'ready-to-show', listener: () => void): unknown;
  /** Before the window closes; preventDefault keeps it open. */
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
}

export type WindowConstructor = new (options: WindowOptions) => WindowPort;

export interface InvokeEventPort {
  readonly sender: WebContentsPort;
  readonly senderFrame: FramePort | null;
}

export interface IpcMainPort {
  /** Like Electron: a second handler for the same channel throws. */
  handle(channel: string, listener: (event: InvokeEventPort, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface ResponseDetails {
  url: string;
  resourceType: string;
  responseHeaders?: Record<string, string[]>;
}

export interface SessionPort {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  readonly webRequest: {
    onHeadersReceived(listener: (details: ResponseDetails, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void): void;
  };
}

export interface UtilityChildPort {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
}

export interface UtilityProcessPort {
  fork(modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'inherit' | 'pipe' | 'ignore' }): UtilityChildPort;
}

export interface ShellPort {
  openExternal(url: string): Promise<void>;
}

export interface MessageBoxOptions {
  type: 'none' | 'info' | 'error' | 'question' | 'warning';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  noLink: boolean;
}

export interface DialogPort {
  showErrorBox(title: string, content: string): void;
  /** Resolves with the index of the button pressed (`cancelId` for Escape or the close box). */
  showMessageBox(options: MessageBoxOptions): Promise<{ response: number }>;
}

export interface DisplayPort {
  /** The part of the display windows may use (without task bars and docks). */
  readonly workArea: Rectangle;
}

/** Electron's screen module; usable only once the app is ready. */
export interface ScreenPort {
  getAllDisplays(): DisplayPort[];
}

export interface NotificationOptions {
  title: string;
  body: string;
}

/** Electron's Notification class. */
export interface NotificationConstructor {
  isSupported(): boolean;
  new (options: NotificationOptions): { show(): void };
}

export interface AppPort {
  /** False when run from the repository (`npm start`), true in an installed build. */
  readonly isPackaged: boolean;
  whenReady(): Promise<void>;
  requestSingleInstanceLock(): boolean;
  /** Folders Electron knows; the shell uses 'userData' (window state). */
  getPath(name: 'userData'): string;
  /** The number on the dock icon (macOS) or launcher (Linux Unity); 0 removes it. */
  setBadgeCount(count: number): boolean;
  enableSandbox(): void;
  setName(name: string): void;
  quit(): void;
  exit(code?: number): void;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'activate', listener: () => void): unknown;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsPort) => void): unknown;
}

/** The subset of Electron's MenuItemConstructorOptions the console's menu uses. */
export interface MenuItemSpec {
  label?: string;
  role?:
    | 'appMenu'
    | 'quit'
    | 'undo'
    | 'redo'
    | 'cut'
    | 'copy'
    | 'paste'
    | 'selectAll'
    | 'reload'
    | 'toggleDevTools'
    | 'resetZoom'
    | 'zoomIn'
    | 'zoomOut'
    | 'togglefullscreen'
    | 'minimize'
    | 'close'
    | 'windowMenu';
  type?: 'separator';
  submenu?: MenuItemSpec[];
  click?: () => void;
}

/** The part of Electron's Menu class the shell uses. */
export interface MenuPort {
  buildFromTemplate(template: MenuItemSpec[]): object;
  setApplicationMenu(menu: object | null): void;
}

/** Everything the shell takes from Electron, in one bundle for the composition root. */
export interface DesktopElectron {
  app: AppPort;
  BrowserWindow: WindowConstructor;
  ipcMain: IpcMainPort;
  utilityProcess: UtilityProcessPort;
  session: { readonly defaultSession: SessionPort };
  shell: ShellPort;
  dialog: DialogPort;
  Menu: MenuPort;
  screen: ScreenPort;
  Notification: NotificationConstructor;
}
