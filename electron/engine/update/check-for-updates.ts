import type { UpdateCheck } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import type { Engine } from '../service/engine';
import { chooseRoute, findAllUpdates, type UpdateSource } from '../sources';

/** What the sources offer a terminal and the route an update would take; nothing is downloaded or written. */
export async function checkForUpdates(engine: Pick<Engine, 'addDevice'>, sources: readonly UpdateSource[], address: string): Promise<UpdateCheck> {
  if (sources.length === 0) throw new ZucError(E.UPDATE_NO_SOURCES);
  const view = await engine.addDevice({ address });
  if (!view.info) throw view.state.kind === 'offline' ? ZucError.fromJSON(view.state.error) : new ZucError(E.TERMINAL_UNREACHABLE, address);
  const { model, hwRevision, firmwareVersion } = view.info;
  const found = await findAllUpdates(sources, { model, hwRevision, firmwareVersion });
  const route = chooseRoute(found.offers, { model, hwRevision, firmwareVersion });
  return {
    address,
    model,
    hwRevision,
    firmwareVersion,
    offers: found.offers.map((o) => ({ packageId: o.packageId, version: o.version, type: o.type, size: o.size, source: o.source })),
    route: route ? { packageId: route.offer.packageId, version: route.offer.version, delta: route.offer.type === 'delta', bytesSaved: route.bytesSaved } : null,
    failures: found.failures.map((f) => ({ source: f.source, error: f.error.toJSON() })),
  };
}
