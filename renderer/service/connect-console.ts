import type { ConsoleService } from '../../electron/shared/contract';
import { createServiceClient } from '../../electron/shared/rpc';
import type { ConsoleStore } from '../store/console-store';
import { mirrorService } from '../store/engine-mirror';
import { browserSocketLink } from './socket-link';
import { setConsoleService } from './console-service';

declare global {
  interface Window {
    /** The typed contract, when the desktop shell's preload exposed it. */
    zuc?: ConsoleService;
  }
}

/** Station path of the contract's WebSocket. */
const RPC_PATH = 'rpc';
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 5_000;

function stationSocketUrl(): string {
  const url = new URL(RPC_PATH, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * Connects the page to the engine: through the preload's `window.zuc` in the
 * desktop shell, else over the station's WebSocket, reconnecting with backoff
 * and re-reading the snapshot after every reconnect.
 */
export function connectConsole(store: ConsoleStore): void {
  const setStatus = store.getState().setConnection;
  if (window.zuc) {
    const service = window.zuc;
    setConsoleService(service);
    void mirrorService(service, store).then(
      () => setStatus('online'),
      () => setStatus('lost'),
    );
    return;
  }

  let delayMs = RECONNECT_FIRST_MS;
  const open = () => {
    const socket = new WebSocket(stationSocketUrl());
    let client: ReturnType<typeof createServiceClient> | null = null;
    let mirrored: { dispose(): void } | null = null;
    socket.addEventListener('open', () => {
      client = createServiceClient(browserSocketLink(socket));
      const service = client;
      void mirrorService(service, store).then(
        (m) => {
          mirrored = m;
          delayMs = RECONNECT_FIRST_MS;
          setConsoleService(service);
          setStatus('online');
        },
        () => socket.close(),
      );
    });
    socket.addEventListener('close', () => {
      mirrored?.dispose();
      client?.close();
      setConsoleService(null);
      setStatus('lost');
      setTimeout(open, delayMs);
      delayMs = Math.min(delayMs * 2, RECONNECT_MAX_MS);
    });
  };
  open();
}
