import type { DiscoveryListener } from './discovered-link';

/**
 * Terminals reachable over the network, listed in settings: they cannot be
 * detected, so the list is what is "plugged in". Whether one answers is
 * for identification to find out.
 */
export class TcpTerminals {
  private readonly current = new Set<string>();

  constructor(private readonly listener: DiscoveryListener) {}

  /** Replaces the list: addresses that left it are detached, new ones attached. */
  set(addresses: readonly string[]): void {
    const next = new Set(addresses.map((a) => a.trim()).filter((a) => a.startsWith('tcp://')));
    for (const address of [...this.current]) {
      if (next.has(address)) continue;
      this.current.delete(address);
      this.listener.detached(address);
    }
    for (const address of next) {
      if (this.current.has(address)) continue;
      this.current.add(address);
      this.listener.attached({ address, via: 'tcp' });
    }
  }
}
