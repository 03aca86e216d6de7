import type { EventName, JobView, MethodName } from '../shared/contract';

/**
 * What the window has been told, learned from what passes through main:
 * the terminal addresses it lists and the jobs it shows as unfinished.
 * After an engine restart this says which terminals the new engine no
 * longer knows and which jobs were cut off and must be shown as ended.
 */
export class WindowLedger {
  readonly #addresses = new Set<string>();
  readonly #unfinished = new Map<string, JobView>();

  get addresses(): readonly string[] {
    return [...this.#addresses];
  }

  get unfinishedJobs(): readonly JobView[] {
    return [...this.#unfinished.values()];
  }

  sawEvent(name: EventName, payload: unknown): void {
    if (name === 'onDeviceChanged') this.#addDevice(payload);
    else if (name === 'onDeviceRemoved') this.#removeDevice(payload);
    else if (name === 'onJobChanged') this.#sawJob(payload as JobView);
  }

  sawReply(method: MethodName, request: unknown, value: unknown): void {
    if (method === 'getSnapshot') {
      const snapshot = value as { devices: unknown[]; jobs: JobView[] };
      for (const device of snapshot.devices) this.#addDevice(device);
      for (const job of snapshot.jobs) this.#sawJob(job);
    } else if (method === 'addDevice' || method === 'refreshDevice') {
      this.#addDevice(value);
    } else if (method === 'removeDevice') {
      this.#removeDevice(request);
    } else if (method === 'startFlash') {
      this.#sawJob(value as JobView);
    }
  }

  #addDevice(value: unknown): void {
    const address = addressOf(value);
    if (address !== null) this.#addresses.add(address);
  }

  #removeDevice(value: unknown): void {
    const address = addressOf(value);
    if (address !== null) this.#addresses.delete(address);
  }

  #sawJob(job: JobView): void {
    if (job.state.kind === 'done') this.#unfinished.delete(job.id);
    else this.#unfinished.set(job.id, job);
  }
}

function addressOf(value: unknown): string | null {
  const address = (value as { address?: unknown } | null)?.address;
  return typeof address === 'string' ? address : null;
}
