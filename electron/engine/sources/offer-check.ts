import type { Manifest } from '../package';
import { deltaBaseSha256 } from './terminal-match';

/** What an offer promised about its package, before the package was fetched. */
export interface PromisedPackage {
  packageId: string;
  version: string;
  type: 'full' | 'delta';
  baseSha256?: string;
}

/** Where a fetched package's signed manifest departs from what its offer promised; empty when it keeps the promise. */
export function manifestDifferences(manifest: Manifest, promised: PromisedPackage): string[] {
  const differences: string[] = [];
  if (manifest.packageId !== promised.packageId) differences.push(`package id ${manifest.packageId}`);
  if (manifest.version !== promised.version) differences.push(`version ${manifest.version}`);
  if (manifest.type !== promised.type) differences.push(`type ${manifest.type}`);
  const base = deltaBaseSha256(manifest);
  if (promised.type === 'delta' && base !== promised.baseSha256) differences.push(`delta base ${base ?? '(none)'}`);
  return differences;
}
