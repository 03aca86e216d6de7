import { EVENT_NAMES, serviceSchema, type MethodName } from '../shared/contract/service';
import { E, ZucError } from '../shared/errors';
import { RpcMessageSchema, type MessageLink, type RpcMessage } from '../shared/rpc';
import { callChannel, eventChannel } from '../shared/rpc/ipc-channels';

/** The part of Electron's ipcRenderer the preload uses. */
export interface IpcRendererPort {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * The renderer's side of the contract over Electron IPC: each call is an
 * invoke on its method's channel whose result is the reply; events arrive
 * on their own channels. A reply that is not an answer to the same call is
 * turned into a BAD_REQUEST error for that call rather than dropped.
 */
export function ipcRendererLink(ipc: IpcRendererPort): MessageLink {
  const listeners = new Set<(message: unknown) => void>();
  const deliver = (message: unknown) => {
    for (const listener of listeners) listener(message);
  };
  const fail = (id: number, error: ZucError) => deliver({ t: 'err', id, error: error.toJSON() } satisfies RpcMessage);

  for (const name of EVENT_NAMES) ipc.on(eventChannel(name), (_event, message) => deliver(message));

  return {
    send(message) {
      if (message.t !== 'call') return;
      const { id, method } = message;
      if (!Object.hasOwn(serviceSchema.methods, method)) return fail(id, new ZucError(E.BAD_REQUEST, `unknown method '${method}'`));
      ipc.invoke(callChannel(method as MethodName), message).then(
        (reply) => {
          const parsed = RpcMessageSchema.safeParse(reply);
          if (parsed.success && (parsed.data.t === 'ok' || parsed.data.t === 'err') && parsed.data.id === id) deliver(parsed.data);
          else fail(id, new ZucError(E.BAD_REQUEST, `${method}: the main process's reply is not an answer to this call`));
        },
        (err: unknown) => fail(id, new ZucError(E.INTERNAL, `${method}: the main process did not answer (${err instanceof Error ? err.message : String(err)})`)),
      );
    },
    onMessage(listener) {
      listeners.add(listener);
      return { dispose: () => void listeners.delete(listener) };
    },
  };
}
