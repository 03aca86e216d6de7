import { EVENT_NAMES, METHOD_NAMES, type ConsoleService } from '../shared/contract/service';
import { ZucError, type ErrorPayload } from '../shared/errors';
import { createServiceClient } from '../shared/rpc';
import { ipcRendererLink, type IpcRendererPort } from './ipc-link';

/** The one global the page gets: `window.zuc`. */
export const CONSOLE_GLOBAL = 'zuc';

/** The part of Electron's contextBridge the preload uses. */
export interface ContextBridgePort {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

/**
 * A rejected call, as the page sees it. The context bridge strips custom
 * properties from Error objects, so failures cross as plain data that
 * carries the catalogued code: `ZucError.fromJSON(reason)` rebuilds it.
 */
export type BridgedError = ErrorPayload & { name: 'ZucError'; message: string };

/**
 * The ConsoleService the page uses: exactly the contract's methods and
 * events, nothing else (no ipcRenderer, no close, no Node).
 */
export function consoleApi(ipc: IpcRendererPort): ConsoleService {
  const client = createServiceClient(ipcRendererLink(ipc));
  const api: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    const call = client[method] as (request: unknown) => Promise<unknown>;
    api[method] = (request: unknown) => call(request).catch((err: unknown) => Promise.reject(bridgedError(err)));
  }
  for (const name of EVENT_NAMES) {
    const subscribe = client[name] as (listener: (payload: unknown) => void) => { dispose(): void };
    api[name] = (listener: (payload: unknown) => void) => {
      const subscription = subscribe(listener);
      return { dispose: () => subscription.dispose() };
    };
  }
  return Object.freeze(api) as ConsoleService;
}

export function exposeConsole(contextBridge: ContextBridgePort, ipc: IpcRendererPort): void {
  contextBridge.exposeInMainWorld(CONSOLE_GLOBAL, consoleApi(ipc));
}

function bridgedError(err: unknown): BridgedError {
  const error = ZucError.from(err);
  return { name: 'ZucError', message: error.message, ...error.toJSON() };
}
