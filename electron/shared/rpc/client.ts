import { E, ZucError } from '../errors';
import { EVENT_NAMES, METHOD_NAMES, serviceSchema, type ConsoleService, type EventName } from '../contract/service';
import { RpcMessageSchema, type MessageLink } from './message';

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/**
 * A ConsoleService whose calls go over `link`. Responses and events are
 * validated against the contract; a reply that does not match is a
 * BAD_REQUEST error, never an unchecked value.
 */
export function createServiceClient(link: MessageLink): ConsoleService & { close(): void } {
  let nextId = 0;
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(e: unknown) => void>>(EVENT_NAMES.map((n) => [n, new Set()]));

  const inbound = link.onMessage((raw) => {
    const parsed = RpcMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const msg = parsed.data;
    if (msg.t === 'event') {
      const set = listeners.get(msg.name as EventName);
      const schema = serviceSchema.events[msg.name as EventName];
      if (!set || !schema) return;
      const payload = schema.safeParse(msg.payload);
      if (payload.success) for (const l of set) l(payload.data);
      return;
    }
    if (msg.t === 'call') return;
    const call = pending.get(msg.id);
    if (!call) return;
    pending.delete(msg.id);
    if (msg.t === 'err') return call.reject(ZucError.fromJSON(msg.error));
    const schema = serviceSchema.methods[call.method as keyof typeof serviceSchema.methods].response;
    const value = schema.safeParse(msg.value);
    if (value.success) call.resolve(value.data);
    else call.reject(new ZucError(E.BAD_REQUEST, `${call.method}: the engine's reply does not match the contract`));
  });

  const client: Record<string, unknown> = {
    close() {
      inbound.dispose();
      for (const call of pending.values()) call.reject(new ZucError(E.LINK_LOST, 'the console engine closed the connection'));
      pending.clear();
    },
  };
  for (const method of METHOD_NAMES) {
    client[method] = (request: unknown) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { method, resolve, reject });
        link.send({ t: 'call', id, method, request });
      });
  }
  for (const name of EVENT_NAMES) {
    client[name] = (listener: (e: unknown) => void) => {
      const set = listeners.get(name)!;
      set.add(listener);
      return { dispose: () => set.delete(listener) };
    };
  }
  return client as ConsoleService & { close(): void };
}
