import type { DeviceView } from '../../shared/contract';

/**
 * The terminals background hawkBit polling serves, serial → address: every
 * identified terminal that is ready or running a job. One being identified
 * again (a refresh) keeps its poller; one gone offline or removed loses it.
 * A serial seen at two addresses keeps the address it is polled at.
 */
export function terminalsToPoll(views: readonly DeviceView[], polled: ReadonlyMap<string, string>): Map<string, string> {
  const wanted = new Map<string, string>();
  for (const view of views) {
    const serial = view.info?.serial;
    if (!serial) continue;
    const kind = view.state.kind;
    const present = kind === 'ready' || kind === 'busy' || (kind === 'connecting' && polled.get(serial) === view.address);
    if (!present) continue;
    if (!wanted.has(serial) || polled.get(serial) === view.address) wanted.set(serial, view.address);
  }
  return wanted;
}
