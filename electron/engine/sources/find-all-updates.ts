import { ZucError } from '../../shared/errors';
import type { FindOptions, TerminalForUpdate, UpdateOffer, UpdateSource } from './update-source';

export interface SourceFailure {
  source: string;
  error: ZucError;
}

export interface FoundUpdates {
  /** Every source's offers, in the sources' priority order. */
  offers: UpdateOffer[];
  /** Sources that could not be read; the others still count. */
  failures: SourceFailure[];
}

/** Asks every source at once; one source down (a catalog offline) never hides the others' offers. */
export async function findAllUpdates(sources: readonly UpdateSource[], terminal: TerminalForUpdate, options: FindOptions = {}): Promise<FoundUpdates> {
  const results = await Promise.allSettled(sources.map((s) => s.findUpdates(terminal, options)));
  const found: FoundUpdates = { offers: [], failures: [] };
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') found.offers.push(...result.value);
    else found.failures.push({ source: sources[i]!.name, error: ZucError.from(result.reason) });
  });
  return found;
}
