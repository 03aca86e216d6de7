import type { UpdateSource } from '../sources';
import { HawkbitDeployments } from './hawkbit-update';

/** A source as configured: one that offers packages (library, catalog) or hawkBit, which deploys and installs its own. */
export type ConfiguredSource = UpdateSource | HawkbitDeployments;

/**
 * The sources in priority order, asked one step after another until one
 * offers an update: consecutive libraries and catalogs form one step (the
 * route is chosen among all their offers, a delta from one and the full
 * package from another), each hawkBit server is a step of its own.
 */
export type SourceStep = { kind: 'offers'; sources: UpdateSource[] } | { kind: 'hawkbit'; hawkbit: HawkbitDeployments };

export function sourceSteps(sources: readonly ConfiguredSource[]): SourceStep[] {
  const steps: SourceStep[] = [];
  for (const source of sources) {
    if (source instanceof HawkbitDeployments) {
      steps.push({ kind: 'hawkbit', hawkbit: source });
      continue;
    }
    const last = steps.at(-1);
    if (last?.kind === 'offers') last.sources.push(source);
    else steps.push({ kind: 'offers', sources: [source] });
  }
  return steps;
}

/** The sources that offer packages, for what needs only those (a delta's base image). */
export function offeringSources(sources: readonly ConfiguredSource[]): UpdateSource[] {
  return sources.filter((s): s is UpdateSource => !(s instanceof HawkbitDeployments));
}
