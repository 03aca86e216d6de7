import { E, ZucError } from '../errors';
import { EVENT_NAMES, serviceSchema, type ConsoleService, type MethodName } from '../contract/service';
import { RpcMessageSchema, type MessageLink } from './message';

function isMethod(name: string): name is MethodName {
  return Object.hasOwn(serviceSchema.methods, name);
}

/**
 * Serves `service` over `link`: validates every call against the contract,
 * answers with a value or a catalogued error, and forwards every event.
 * Returns a disposable that stops serving.
 */
export function serveService(service: ConsoleService, link: MessageLink): { dispose(): void } {
  const subscriptions = EVENT_NAMES.map((name) =>
    (service[name] as ConsoleService['onJobLog'])((payload) => link.send({ t: 'event', name, payload })),
  );
  const inbound = link.onMessage((raw) => {
    const parsed = RpcMessageSchema.safeParse(raw);
    if (!parsed.success || parsed.data.t !== 'call') return;
    const { id, method, request } = parsed.data;
    void answer(method, request).then(
      (value) => link.send({ t: 'ok', id, value }),
      (err: unknown) => link.send({ t: 'err', id, error: ZucError.from(err).toJSON() }),
    );
  });

  async function answer(method: string, request: unknown): Promise<unknown> {
    if (!isMethod(method)) throw new ZucError(E.BAD_REQUEST, `unknown method '${method}'`);
    const check = serviceSchema.methods[method].request.safeParse(request);
    if (!check.success) throw new ZucError(E.BAD_REQUEST, `${method}: ${check.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`);
    const call = service[method] as (req: unknown) => Promise<unknown>;
    return call.call(service, check.data);
  }

  return {
    dispose() {
      inbound.dispose();
      for (const s of subscriptions) s.dispose();
    },
  };
}
