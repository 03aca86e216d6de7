import type { ZucError } from '../../electron/shared/errors';
import type { DiscoveredLink, DiscoveryListener } from './discovered-link';

/** Records what discovery reports, in order; for tests and `zuc` diagnostics. */
export class DiscoveryRecorder implements DiscoveryListener {
  readonly events: string[] = [];
  readonly links: DiscoveredLink[] = [];
  readonly problems: ZucError[] = [];

  attached(link: DiscoveredLink): void {
    this.links.push(link);
    this.events.push(`+${link.address}`);
  }

  detached(address: string): void {
    this.events.push(`-${address}`);
  }

  problem(error: ZucError): void {
    this.problems.push(error);
    this.events.push(`!${error.code}`);
  }
}
