import type { EventName, MethodName } from '../shared/contract/service';

/**
 * The terminal addresses the window has been told about, learned from what
 * passes through main. After an engine restart this tells which terminals
 * the window still shows but the new engine no longer knows.
 */
export class DeviceLedger {
  readonly #addresses = new Set<string>();

  get addresses(): readonly string[] {
    return [...this.#addresses];
  }

  sawEvent(name: EventName, payload: unknown): void {
    const address = addressOf(payload);
    if (address === null) return;
    if (name === 'onDeviceChanged') this.#addresses.add(address);
    if (name === 'onDeviceRemoved') this.#addresses.delete(address);
  }

  sawReply(method: MethodName, request: unknown, value: unknown): void {
    if (method === 'getSnapshot') {
      const devices = (value as { devices?: unknown[] }).devices ?? [];
      for (const device of devices) {
        const address = addressOf(device);
        if (address !== null) this.#addresses.add(address);
      }
    } else if (method === 'addDevice' || method === 'refreshDevice') {
      const address = addressOf(value);
      if (address !== null) this.#addresses.add(address);
    } else if (method === 'removeDevice') {
      const address = addressOf(request);
      if (address !== null) this.#addresses.delete(address);
    }
  }
}

function addressOf(value: unknown): string | null {
  const address = (value as { address?: unknown } | null)?.address;
  return typeof address === 'string' ? address : null;
}
