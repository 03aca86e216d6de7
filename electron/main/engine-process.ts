import { EVENT_NAMES, type EventName, type MethodName, type MethodRequest, type MethodResponse } from '../shared/contract/service';
import { E, ZucError } from '../shared/errors';
import { createServiceClient, type MessageLink } from '../shared/rpc';
import { SHUTDOWN_REQUEST } from '../engine/host/control-message';
import type { UtilityChildPort, UtilityProcessPort } from './electron-ports';

/** More crashes than this within ENGINE_RESTART_WINDOW_MS and the engine stays down. */
export const ENGINE_RESTART_LIMIT = 3;
export const ENGINE_RESTART_WINDOW_MS = 60_000;
/** How long the engine gets to close its database and devices when the app quits. */
export const ENGINE_SHUTDOWN_TIMEOUT_MS = 5_000;

export interface EngineProcessOptions {
  utilityProcess: UtilityProcessPort;
  /** The bundled engine host (electron/engine/host/utility-entry.ts). */
  entryPath: string;
  now?: () => number;
  shutdownTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface EngineProcess {
  start(): void;
  /** A contract call on the running engine; rejects with a ZucError. */
  call<K extends MethodName>(method: K, request: MethodRequest<K>): Promise<MethodResponse<K>>;
  /** Every contract event the engine emits, already validated. */
  onEvent(listener: (name: EventName, payload: unknown) => void): { dispose(): void };
  /** The engine process died and a new one was started. */
  onRestarted(listener: (exitCode: number) => void): { dispose(): void };
  /** The engine crashed too often and was left down. */
  onGaveUp(listener: (error: ZucError) => void): { dispose(): void };
  /** Asks the engine to close cleanly; kills it after `shutdownTimeoutMs` (ENGINE_SHUTDOWN_TIMEOUT_MS). */
  stop(): Promise<void>;
  readonly running: boolean;
}

interface Generation {
  child: UtilityChildPort;
  client: ReturnType<typeof createServiceClient>;
  exitCode: number | null;
}

/**
 * The engine in an Electron utility process, seen from main: a typed client
 * over the child's message port, restarted when the process dies. Calls in
 * flight when it dies fail with a catalogued error instead of hanging; the
 * engine's store marks its interrupted jobs on the next start.
 */
export function createEngineProcess(options: EngineProcessOptions): EngineProcess {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? ENGINE_SHUTDOWN_TIMEOUT_MS;
  const eventListeners = new Set<(name: EventName, payload: unknown) => void>();
  const restartListeners = new Set<(exitCode: number) => void>();
  const gaveUpListeners = new Set<(error: ZucError) => void>();
  const crashTimes: number[] = [];
  let current: Generation | null = null;
  let stopping: Promise<void> | null = null;
  let downReason: ZucError | null = null;

  function spawn(): void {
    const child = options.utilityProcess.fork(options.entryPath, [], { serviceName: 'ZTE Update Console engine', stdio: 'inherit' });
    const generation: Generation = { child, client: createServiceClient(childLink(child, () => generation.exitCode === null)), exitCode: null };
    for (const name of EVENT_NAMES) {
      generation.client[name]((payload: unknown) => {
        for (const listener of eventListeners) listener(name, payload);
      });
    }
    child.on('exit', (code) => {
      generation.exitCode = code;
      generation.client.close();
      if (current !== generation) return;
      current = null;
      if (!stopping) crashed(code);
    });
    current = generation;
  }

  function crashed(code: number): void {
    const at = now();
    crashTimes.push(at);
    while (crashTimes.length > 0 && at - crashTimes[0]! > ENGINE_RESTART_WINDOW_MS) crashTimes.shift();
    if (crashTimes.length > ENGINE_RESTART_LIMIT) {
      downReason = new ZucError(E.INTERNAL, `the console engine stopped ${crashTimes.length} times within ${ENGINE_RESTART_WINDOW_MS / 1000} s (last exit code ${code}) and was not restarted again`);
      log(downReason.message);
      for (const listener of gaveUpListeners) listener(downReason);
      return;
    }
    log(`the console engine stopped (exit code ${code}); restarting it`);
    spawn();
    for (const listener of restartListeners) listener(code);
  }

  function subscribe<T>(set: Set<T>, listener: T): { dispose(): void } {
    set.add(listener);
    return { dispose: () => void set.delete(listener) };
  }

  return {
    start() {
      if (!current && !stopping) spawn();
    },
    get running() {
      return current !== null;
    },
    async call<K extends MethodName>(method: K, request: MethodRequest<K>): Promise<MethodResponse<K>> {
      const generation = current;
      if (!generation) throw downReason ?? new ZucError(E.INTERNAL, 'the console engine is not running');
      const call = generation.client[method] as unknown as (req: MethodRequest<K>) => Promise<MethodResponse<K>>;
      try {
        return await call(request);
      } catch (err) {
        if (generation.exitCode === null) throw err;
        throw new ZucError(E.INTERNAL, `the console engine stopped (exit code ${generation.exitCode}) while answering ${method}; it was restarted, try again`, { cause: err });
      }
    },
    onEvent: (listener) => subscribe(eventListeners, listener),
    onRestarted: (listener) => subscribe(restartListeners, listener),
    onGaveUp: (listener) => subscribe(gaveUpListeners, listener),
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        const generation = current;
        if (!generation) return resolve();
        const timer = setTimeout(() => {
          log(`the console engine did not exit within ${shutdownTimeoutMs} ms; killing it`);
          generation.child.kill();
        }, shutdownTimeoutMs);
        generation.child.on('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        generation.child.postMessage(SHUTDOWN_REQUEST);
      });
      return stopping;
    },
  };
}

/** The child's message port as a MessageLink; nothing is posted to a dead process. */
function childLink(child: UtilityChildPort, alive: () => boolean): MessageLink {
  const listeners = new Set<(message: unknown) => void>();
  child.on('message', (message) => {
    for (const listener of listeners) listener(message);
  });
  return {
    send(message) {
      if (alive()) child.postMessage(message);
    },
    onMessage(listener) {
      listeners.add(listener);
      return { dispose: () => void listeners.delete(listener) };
    },
  };
}
