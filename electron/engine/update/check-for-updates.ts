import type { UpdateCheck } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import type { Engine } from '../service/engine';
import { chooseRoute, findAllUpdates, type SourceFailure } from '../sources';
import { sourceSteps, type ConfiguredSource } from './source-order';

/**
 * What the sources offer a terminal and the route an update would take, in
 * the sources' priority order (the first step with a route decides, as for
 * an update); hawkBit is only asked what it deployed. Nothing is downloaded or written.
 */
export async function checkForUpdates(engine: Pick<Engine, 'addDevice'>, sources: readonly ConfiguredSource[], address: string): Promise<UpdateCheck> {
  if (sources.length === 0) throw new ZucError(E.UPDATE_NO_SOURCES);
  const view = await engine.addDevice({ address });
  if (!view.info) throw view.state.kind === 'offline' ? ZucError.fromJSON(view.state.error) : new ZucError(E.TERMINAL_UNREACHABLE, address);
  const { model, hwRevision, firmwareVersion, serial } = view.info;
  const terminal = { model, hwRevision, firmwareVersion };
  const offers: UpdateCheck['offers'] = [];
  const failures: SourceFailure[] = [];
  let route: UpdateCheck['route'] = null;
  for (const step of sourceSteps(sources)) {
    if (step.kind === 'hawkbit') {
      const deployed = await step.hawkbit.peek(serial).catch((err: unknown) => {
        failures.push({ source: step.hawkbit.name, error: ZucError.from(err) });
        return [];
      });
      offers.push(...deployed);
      // A deployment is installed whatever its version: the server decided.
      const first = deployed[0];
      route ??= first ? { packageId: first.packageId, version: first.version, delta: false, bytesSaved: 0 } : null;
      continue;
    }
    const found = await findAllUpdates(step.sources, terminal);
    failures.push(...found.failures);
    offers.push(...found.offers.map((o) => ({ packageId: o.packageId, version: o.version, type: o.type, size: o.size, source: o.source })));
    const chosen = chooseRoute(found.offers, terminal);
    route ??= chosen ? { packageId: chosen.offer.packageId, version: chosen.offer.version, delta: chosen.offer.type === 'delta', bytesSaved: chosen.bytesSaved } : null;
  }
  return { address, model, hwRevision, firmwareVersion, offers, route, failures: failures.map((f) => ({ source: f.source, error: f.error.toJSON() })) };
}
