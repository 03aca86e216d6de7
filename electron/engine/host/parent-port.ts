import type { MessageLink } from '../../shared/rpc';

/**
 * The part of Electron's `process.parentPort` the engine host uses, typed
 * here so the engine never depends on Electron. Messages that arrive before
 * a 'message' listener exists are queued by Electron, not lost.
 */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

/** The parent port when running in an Electron utility process, else null. */
export function parentPortOf(proc: NodeJS.Process): ParentPortLike | null {
  const port = (proc as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort;
  return port && typeof port.postMessage === 'function' && typeof port.on === 'function' ? port : null;
}

/**
 * The parent port as a MessageLink. `intercept` sees every message first and
 * returns true for those that are not for the contract (shutdown).
 */
export function parentPortLink(port: ParentPortLike, intercept: (data: unknown) => boolean): MessageLink {
  const listeners = new Set<(message: unknown) => void>();
  port.on('message', ({ data }) => {
    if (intercept(data)) return;
    for (const listener of listeners) listener(data);
  });
  return {
    send: (message) => port.postMessage(message),
    onMessage(listener) {
      listeners.add(listener);
      return { dispose: () => void listeners.delete(listener) };
    },
  };
}
