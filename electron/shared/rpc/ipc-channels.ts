import type { EventName, MethodName } from '../contract/service';

/**
 * The one place Electron IPC channel names come from: one channel per
 * contract method (renderer → main, invoke) and one per event
 * (main → renderer). Nothing else in the project spells a channel.
 */
const PREFIX = 'zuc';

export function callChannel(method: MethodName): string {
  return `${PREFIX}:call:${method}`;
}

export function eventChannel(name: EventName): string {
  return `${PREFIX}:event:${name}`;
}
