import type { UpdateCheck } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import type { Engine } from '../service/engine';
import { chooseRoute, compareVersions, findAllUpdates, type SourceFailure } from '../sources';
import { screenOffers, skippedView, skipsAboveRoute, type SkippedUpdate } from './offer-screening';
import { sourceSteps, type ConfiguredSource } from './source-order';

/**
 * What the sources offer a terminal and the route an update would take, in
 * the sources' priority order (the first step with a route decides, as for
 * an update); hawkBit is only asked what it deployed. Offers the console
 * would refuse for their signature are left out of the route and listed as
 * skipped. Nothing is downloaded or written.
 */
export async function checkForUpdates(engine: Pick<Engine, 'addDevice' | 'signaturePolicy'>, sources: readonly ConfiguredSource[], address: string): Promise<UpdateCheck> {
  if (sources.length === 0) throw new ZucError(E.UPDATE_NO_SOURCES);
  const view = await engine.addDevice({ address });
  if (!view.info) throw view.state.kind === 'offline' ? ZucError.fromJSON(view.state.error) : new ZucError(E.TERMINAL_UNREACHABLE, address);
  const { model, hwRevision, firmwareVersion, serial } = view.info;
  const terminal = { model, hwRevision, firmwareVersion };
  const offers: UpdateCheck['offers'] = [];
  const failures: SourceFailure[] = [];
  const skipped: SkippedUpdate[] = [];
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
    // Only the steps up to the one that decides the route: a later step's packages would not be taken anyway.
    if (route) continue;
    const screened = await screenOffers(found.offers, terminal, engine.signaturePolicy());
    skipped.push(...screened.skipped);
    const chosen = chooseRoute(screened.eligible, terminal);
    route = chosen ? { packageId: chosen.offer.packageId, version: chosen.offer.version, delta: chosen.offer.type === 'delta', bytesSaved: chosen.bytesSaved } : null;
  }
  return { address, model, hwRevision, firmwareVersion, offers, route, failures: failures.map((f) => ({ source: f.source, error: f.error.toJSON() })), skipped: skipsAboveRoute(skipped, route?.version).sort((a, b) => compareVersions(b.offer.version, a.offer.version)).map(skippedView) };
}
