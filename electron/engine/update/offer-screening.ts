import type { SignatureView, SkippedOffer } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import { logError, logText, type JobLogText } from '../../shared/job-log';
import { loadTrustStore, type TrustStore } from '../package';
import { compareVersions, type TerminalForUpdate, type UpdateOffer } from '../sources';

/** Whose signatures a route may rely on: the engine's package policy, read for every check and job. */
export interface SignaturePolicy {
  /** A loaded trust store, or its folder. */
  trustStore: TrustStore | string;
  /** Development only: unsigned and untrusted packages may be offered (the flash job logs its loud warning). */
  allowUnsigned: boolean;
}

/** A newer offer the route leaves out, with the verifier's verdict on it. */
export interface SkippedUpdate {
  offer: UpdateOffer;
  signature: SignatureView;
  error: ZucError;
}

export interface ScreenedOffers {
  /** Offers a route may take, in the order given. */
  eligible: UpdateOffer[];
  /** Newer offers left out for their signature, newest version first. */
  skipped: SkippedUpdate[];
}

/** Statuses the development flag accepts; a revoked key or damaged package the verifier refuses even then. */
const DEVELOPMENT_ACCEPTS = new Set<SignatureView['status']>(['unsigned', 'untrusted']);

function accepted(signature: SignatureView, policy: SignaturePolicy): boolean {
  return signature.status === 'trusted' || (policy.allowUnsigned && DEVELOPMENT_ACCEPTS.has(signature.status));
}

/**
 * Keeps out of the route every newer offer this console would refuse at
 * verify for its signature, so a terminal gets the newest package it can
 * actually install instead of failing on a newer untrusted one. Only offers
 * judged before download (library files) can be left out; a catalog or
 * hawkBit package stays eligible and is verified once downloaded. Offers
 * not newer than the terminal's version are never a route and are not judged.
 */
export async function screenOffers(offers: readonly UpdateOffer[], terminal: TerminalForUpdate, policy: SignaturePolicy): Promise<ScreenedOffers> {
  const judged = offers.filter((o) => o.signature && compareVersions(o.version, terminal.firmwareVersion) > 0);
  if (judged.length === 0) return { eligible: [...offers], skipped: [] };
  const trust = typeof policy.trustStore === 'string' ? await loadTrustStore(policy.trustStore) : policy.trustStore;
  const verdicts = new Map<UpdateOffer, SignatureView>();
  await Promise.all(judged.map(async (o) => verdicts.set(o, await o.signature!(trust))));
  const eligible: UpdateOffer[] = [];
  const skipped: SkippedUpdate[] = [];
  for (const offer of offers) {
    const signature = verdicts.get(offer);
    if (!signature || accepted(signature, policy)) eligible.push(offer);
    else skipped.push({ offer, signature, error: refusalOf(signature, offer) });
  }
  skipped.sort((a, b) => compareVersions(b.offer.version, a.offer.version));
  return { eligible, skipped };
}

function refusalOf(signature: SignatureView, offer: UpdateOffer): ZucError {
  const where = `${offer.packageId} (${offer.version}) from ${offer.source}`;
  if (!signature.error) return new ZucError(E.PACKAGE_UNTRUSTED_KEY, where);
  const error = ZucError.fromJSON(signature.error);
  return new ZucError(error.entry, error.detail ? `${where}: ${error.detail}` : where);
}

/**
 * The skipped offers worth telling the user: those at or above the route's
 * version (a newer package, or a delta of the same version, the terminal
 * did not get); all of them when there is no route.
 */
export function skipsAboveRoute(skipped: readonly SkippedUpdate[], routeVersion: string | undefined): SkippedUpdate[] {
  return routeVersion === undefined ? [...skipped] : skipped.filter((s) => compareVersions(s.offer.version, routeVersion) >= 0);
}

/** A skipped offer as the contract carries it. */
export function skippedView(s: SkippedUpdate): SkippedOffer {
  const { offer } = s;
  return { packageId: offer.packageId, version: offer.version, type: offer.type, size: offer.size, source: offer.source, signature: s.signature.status, error: s.error.toJSON() };
}

/** One line per skipped offer for a job's log. */
export function skippedLine(s: SkippedUpdate): JobLogText {
  const { packageId, type, version, size, source } = s.offer;
  return logText('offer-skipped', { offer: { packageId, type, version, size, source }, signature: s.signature.status, error: logError(s.error) });
}
