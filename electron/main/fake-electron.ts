/**
 * Fakes of the Electron main-process APIs for tests, keeping the rules the
 * real ones enforce: a second ipcMain handler for a channel throws, sending
 * to destroyed web contents throws, an invoke without a handler rejects, a
 * window-open without a handler is allowed (Electron's default), messages
 * to a utility process are structured-cloned and delivered asynchronously,
 * queued until the child listens, and never delivered after it exited.
 */
import { pathToFileURL } from 'node:url';
import type {
  AppPort,
  DesktopElectron,
  FramePort,
  InvokeEventPort,
  IpcMainPort,
  MenuItemSpec,
  MessageBoxOptions,
  NotificationOptions,
  Rectangle,
  PreventableEvent,
  ResponseDetails,
  SessionPort,
  UtilityChildPort,
  UtilityProcessPort,
  WebContentsPort,
  WindowOptions,
  WindowPort,
} from './electron-ports';
import type { ParentPortLike } from '../engine/host/parent-port';

type Listener = (...args: never[]) => unknown;

class Emitter {
  readonly #listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapped = ((...args: never[]) => {
      this.#listeners.set(event, (this.#listeners.get(event) ?? []).filter((l) => l !== wrapped));
      return listener(...args);
    }) as Listener;
    return this.on(event, wrapped);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.#listeners.get(event) ?? []) (listener as (...a: unknown[]) => unknown)(...args);
  }
}

function preventable<T extends object>(extra: T): PreventableEvent & T & { defaultPrevented: boolean } {
  const event = {
    ...extra,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

let nextContentsId = 1;

export class FakeFrame implements FramePort {
  url = 'about:blank';
  detached = false;
  constructor(
    readonly processId: number,
    readonly routingId: number,
    readonly parent: FramePort | null = null,
  ) {}
}

export class FakeWebContents extends Emitter implements WebContentsPort {
  readonly id = nextContentsId++;
  readonly mainFrame = new FakeFrame(100 + this.id, 1);
  readonly sent: { channel: string; args: unknown[] }[] = [];
  /** Listeners of the page's ipcRenderer.on, fed by send(). */
  readonly pageListeners: { channel: string; listener: (event: unknown, ...args: unknown[]) => void }[] = [];
  destroyed = false;
  openHandler: ((details: { url: string }) => { action: 'deny' | 'allow' }) | null = null;

  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args: structuredClone(args) });
    for (const l of this.pageListeners) if (l.channel === channel) l.listener({}, ...structuredClone(args));
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
  readonly reloads: string[] = [];
  reload(): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.reloads.push(this.mainFrame.url);
  }
  /** The page's renderer process ends. */
  rendererGone(reason: string, exitCode: number): void {
    this.emit('render-process-gone', {}, { reason, exitCode });
  }
  /** The page tries to navigate; returns whether the navigation went ahead. */
  navigate(url: string): boolean {
    const event = preventable({ url });
    this.emit('will-navigate', event, url);
    if (!event.defaultPrevented) this.mainFrame.url = url;
    return !event.defaultPrevented;
  }
  redirect(url: string): boolean {
    const event = preventable({ url });
    this.emit('will-redirect', event, url);
    return !event.defaultPrevented;
  }
  attachWebview(): boolean {
    const event = preventable({});
    this.emit('will-attach-webview', event, {}, {});
    return !event.defaultPrevented;
  }
  /** The page calls window.open; Electron allows it when no handler is set. */
  windowOpen(url: string): 'deny' | 'allow' {
    return this.openHandler ? this.openHandler({ url }).action : 'allow';
  }
  /** An IPC invoke event as if sent by `frame` of these contents. */
  invokeEvent(frame: FramePort | null = this.mainFrame): InvokeEventPort {
    return { sender: this, senderFrame: frame };
  }
}

export class FakeApp extends Emitter implements AppPort {
  isPackaged = false;
  name = 'Electron';
  sandboxed = false;
  quitCount = 0;
  exitCode: number | null = null;
  hasLock = true;
  /** Where getPath('userData') points; tests set a temp folder. */
  userData = '/nonexistent/zuc-user-data';
  /** Every badge count set, in order. */
  readonly badgeCounts: number[] = [];
  readonly #ready = Promise.resolve();

  getPath(_name: 'userData'): string {
    return this.userData;
  }
  setBadgeCount(count: number): boolean {
    this.badgeCounts.push(count);
    return true;
  }

  whenReady(): Promise<void> {
    return this.#ready;
  }
  requestSingleInstanceLock(): boolean {
    return this.hasLock;
  }
  enableSandbox(): void {
    this.sandboxed = true;
  }
  setName(name: string): void {
    this.name = name;
  }
  /** Like Electron: 'before-quit' first; a listener may prevent the quit. */
  quit(): void {
    const event = preventable({});
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.quitCount++;
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
}

export class FakeBrowserWindow extends Emitter implements WindowPort {
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  visible = false;
  destroyed = false;
  focused = false;
  maximized = false;
  bounds: Rectangle;
  /** Every setProgressBar call, in order. */
  readonly progress: { value: number; mode: string }[] = [];
  constructor(
    readonly options: WindowOptions,
    app: FakeApp,
  ) {
    super();
    // Like Electron: without a position the window is centred on the primary display.
    this.bounds = { x: options.x ?? 320, y: options.y ?? 140, width: options.width, height: options.height };
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadFile(filePath: string): Promise<void> {
    this.loaded.push(filePath);
    this.webContents.mainFrame.url = pathToFileURL(filePath).href;
    this.emit('ready-to-show');
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  maximize(): void {
    this.maximized = true;
  }
  /** While maximized Electron reports the maximized size; the normal bounds are what restore returns to. */
  getBounds(): Rectangle {
    return this.maximized ? { x: 0, y: 0, width: 1920, height: 1040 } : { ...this.bounds };
  }
  getNormalBounds(): Rectangle {
    return { ...this.bounds };
  }
  setProgressBar(value: number, options?: { mode: string }): void {
    this.progress.push({ value, mode: options?.mode ?? 'normal' });
  }
  /** Like Electron: 'close' first, which a listener may prevent; then the window is gone and 'closed' follows. */
  close(): void {
    if (this.destroyed) return;
    const event = preventable({});
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export interface FakeBrowserWindowClass {
  new (options: WindowOptions): FakeBrowserWindow;
  /** Every window made with this class, in order. */
  readonly created: FakeBrowserWindow[];
}

/** A BrowserWindow class whose windows announce their web contents on `app`, as Electron's do. */
export function fakeBrowserWindowClass(app: FakeApp): FakeBrowserWindowClass {
  const created: FakeBrowserWindow[] = [];
  return class extends FakeBrowserWindow {
    static readonly created = created;
    constructor(options: WindowOptions) {
      super(options, app);
      created.push(this);
    }
  };
}

export class FakeIpcMain implements IpcMainPort {
  readonly #handlers = new Map<string, (event: InvokeEventPort, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: InvokeEventPort, ...args: unknown[]) => unknown): void {
    if (this.#handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.#handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.#handlers.delete(channel);
  }
  get channels(): string[] {
    return [...this.#handlers.keys()];
  }
  /** What ipcRenderer.invoke does: arguments are structured-cloned both ways. */
  async invoke(event: InvokeEventPort, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.#handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    return structuredClone(await handler(event, ...structuredClone(args)));
  }
}

/** The child side of a fake utility process: what `process.parentPort` is there. */
class FakeParentPort implements ParentPortLike {
  readonly #listeners: ((event: { data: unknown }) => void)[] = [];
  readonly #queued: unknown[] = [];
  constructor(private readonly toParent: (message: unknown) => void) {}
  on(_event: 'message', listener: (event: { data: unknown }) => void): this {
    this.#listeners.push(listener);
    const queued = this.#queued.splice(0);
    for (const data of queued) setImmediate(() => this.deliver(data));
    return this;
  }
  postMessage(message: unknown): void {
    this.toParent(structuredClone(message));
  }
  deliver(data: unknown): void {
    if (this.#listeners.length === 0) this.#queued.push(data);
    for (const listener of this.#listeners) listener({ data });
  }
}

let nextPid = 4000;

export class FakeUtilityChild extends Emitter implements UtilityChildPort {
  pid: number | undefined = nextPid++;
  exited = false;
  readonly port: FakeParentPort;
  /** Messages main posted, in order. */
  readonly received: unknown[] = [];
  constructor(
    readonly modulePath: string,
    onKill: (child: FakeUtilityChild) => void,
  ) {
    super();
    this.port = new FakeParentPort((message) => setImmediate(() => !this.exited && this.emit('message', message)));
    this.#onKill = onKill;
  }
  readonly #onKill: (child: FakeUtilityChild) => void;
  postMessage(message: unknown): void {
    if (this.exited) return;
    const copy = structuredClone(message);
    this.received.push(copy);
    setImmediate(() => !this.exited && this.port.deliver(copy));
  }
  kill(): boolean {
    if (this.exited) return false;
    this.#onKill(this);
    return true;
  }
  /** The process ends (crash, or its own exit) with `code`. */
  exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.pid = undefined;
    setImmediate(() => this.emit('exit', code));
  }
}

export class FakeUtilityProcess implements UtilityProcessPort {
  readonly children: FakeUtilityChild[] = [];
  /** Runs what the real entry would run in the child, given its parent port and exit. */
  constructor(private readonly boot: (port: ParentPortLike, exit: (code: number) => void) => void) {}
  fork(modulePath: string): FakeUtilityChild {
    const child = new FakeUtilityChild(modulePath, (c) => c.exit(15));
    this.children.push(child);
    this.boot(child.port, (code) => child.exit(code));
    return child;
  }
  get latest(): FakeUtilityChild {
    const child = this.children.at(-1);
    if (!child) throw new Error('no utility process was forked');
    return child;
  }
}

export class FakeSession implements SessionPort {
  requestHandler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  checkHandler: ((webContents: unknown, permission: string) => boolean) | null = null;
  deviceHandler: ((details: unknown) => boolean) | null = null;
  headersListener: ((details: ResponseDetails, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void) | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: NonNullable<FakeSession['headersListener']>) => void (this.headersListener = listener),
  };
  setPermissionRequestHandler(handler: NonNullable<FakeSession['requestHandler']>): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: NonNullable<FakeSession['checkHandler']>): void {
    this.checkHandler = handler;
  }
  setDevicePermissionHandler(handler: NonNullable<FakeSession['deviceHandler']>): void {
    this.deviceHandler = handler;
  }
  /** Electron grants a permission when no handler is set. */
  requestPermission(permission: string): Promise<boolean> {
    const handler = this.requestHandler;
    if (!handler) return Promise.resolve(true);
    return new Promise((resolve) => handler({}, permission, resolve));
  }
  checkPermission(permission: string): boolean {
    return this.checkHandler ? this.checkHandler({}, permission) : true;
  }
  /** Headers of a response as the page receives them. */
  receiveHeaders(url: string, headers: Record<string, string[]>): Promise<Record<string, string[]>> {
    const listener = this.headersListener;
    if (!listener) return Promise.resolve(headers);
    return new Promise((resolve) => listener({ url, resourceType: 'mainFrame', responseHeaders: headers }, (r) => resolve(r.responseHeaders ?? headers)));
  }
}

export class FakeShell {
  readonly opened: string[] = [];
  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  }
}

export class FakeDialog {
  readonly errorBoxes: { title: string; content: string }[] = [];
  readonly messageBoxes: MessageBoxOptions[] = [];
  /** The button the user will press in the next message boxes, in order; the cancel button when none is left. */
  readonly answers: number[] = [];
  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push({ title, content });
  }
  async showMessageBox(options: MessageBoxOptions): Promise<{ response: number }> {
    this.messageBoxes.push(options);
    return { response: this.answers.shift() ?? options.cancelId };
  }
}

export class FakeScreen {
  /** One 1920×1080 display with a 40-pixel task bar, unless a test sets others. */
  displays: { workArea: Rectangle }[] = [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }];
  getAllDisplays() {
    return this.displays;
  }
}

/** A Notification class that records what was shown. */
export function fakeNotificationClass(supported = true) {
  const shown: NotificationOptions[] = [];
  return class FakeNotification {
    static readonly shown = shown;
    static isSupported(): boolean {
      return supported;
    }
    readonly options: NotificationOptions;
    constructor(options: NotificationOptions) {
      this.options = options;
    }
    show(): void {
      shown.push(this.options);
    }
  };
}

export class FakeMenu {
  /** The template of the application menu, once set. */
  applicationMenu: MenuItemSpec[] | null = null;
  buildFromTemplate(template: MenuItemSpec[]): { template: MenuItemSpec[] } {
    return { template };
  }
  setApplicationMenu(menu: object | null): void {
    this.applicationMenu = menu ? (menu as { template: MenuItemSpec[] }).template : null;
  }
}

export function fakeElectron(boot: (port: ParentPortLike, exit: (code: number) => void) => void) {
  const app = new FakeApp();
  const BrowserWindow = fakeBrowserWindowClass(app);
  const fakes = {
    app,
    BrowserWindow,
    ipcMain: new FakeIpcMain(),
    utilityProcess: new FakeUtilityProcess(boot),
    session: { defaultSession: new FakeSession() },
    shell: new FakeShell(),
    dialog: new FakeDialog(),
    Menu: new FakeMenu(),
    screen: new FakeScreen(),
    Notification: fakeNotificationClass(),
  };
  const electron: DesktopElectron = fakes;
  return { ...fakes, electron };
}

/** The page's ipcRenderer in `contents`: invokes reach `ipcMain` as sent by its main frame. */
export function fakeIpcRenderer(ipcMain: FakeIpcMain, contents: FakeWebContents) {
  return {
    invoke: (channel: string, ...args: unknown[]) => ipcMain.invoke(contents.invokeEvent(), channel, ...args),
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
      contents.pageListeners.push({ channel, listener });
      return this;
    },
  };
}
