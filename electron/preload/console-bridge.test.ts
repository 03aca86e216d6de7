import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES, type ConsoleService } from '../shared/contract/service';
import { E, ERROR_CATALOG, ZucError } from '../shared/errors';
import type { RpcMessage } from '../shared/rpc';
import { callChannel, eventChannel } from '../shared/rpc/ipc-channels';
import { CONSOLE_GLOBAL, exposeConsole, type BridgedError } from './console-bridge';
import type { IpcRendererPort } from './ipc-link';

/**
 * ipcRenderer as the sandboxed preload sees it: `invoke` is answered by
 * `main` (what the main process would return), `on` listeners get what main
 * sends. Both directions are structured-cloned like real IPC.
 */
class FakeIpcRenderer implements IpcRendererPort {
  readonly invoked: { channel: string; message: unknown }[] = [];
  readonly #listeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  constructor(private readonly main: (channel: string, message: RpcMessage & { t: 'call' }) => unknown) {}
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const [message] = structuredClone(args) as [RpcMessage & { t: 'call' }];
    this.invoked.push({ channel, message });
    return structuredClone(await this.main(channel, message));
  }
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): this {
    this.#listeners.set(channel, [...(this.#listeners.get(channel) ?? []), listener]);
    return this;
  }
  fromMain(channel: string, message: unknown): void {
    for (const listener of this.#listeners.get(channel) ?? []) listener({}, structuredClone(message));
  }
}

/** contextBridge keeps what was exposed; a key exposed twice throws, as in Electron. */
class FakeContextBridge {
  readonly exposed = new Map<string, unknown>();
  exposeInMainWorld(key: string, api: unknown): void {
    if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
    this.exposed.set(key, api);
  }
}

function bridge(main: ConstructorParameters<typeof FakeIpcRenderer>[0]) {
  const ipc = new FakeIpcRenderer(main);
  const contextBridge = new FakeContextBridge();
  exposeConsole(contextBridge, ipc);
  return { ipc, contextBridge, zuc: contextBridge.exposed.get(CONSOLE_GLOBAL) as ConsoleService };
}

const catalogReply = (message: RpcMessage & { t: 'call' }): RpcMessage => ({ t: 'ok', id: message.id, value: ERROR_CATALOG.map((e) => ({ ...e })) });

describe('preload bridge', () => {
  it('exposes exactly one global, window.zuc, with exactly the contract methods and events', () => {
    const { contextBridge, zuc } = bridge(() => undefined);
    expect([...contextBridge.exposed.keys()]).toEqual(['zuc']);
    expect(Object.keys(zuc).sort()).toEqual([...METHOD_NAMES, ...EVENT_NAMES].sort());
    for (const member of Object.values(zuc)) expect(typeof member).toBe('function');
    expect(Object.isFrozen(zuc)).toBe(true);
    expect('close' in zuc).toBe(false);
  });

  it('sends a call on its method channel and resolves with the validated reply', async () => {
    const { ipc, zuc } = bridge((_channel, message) => catalogReply(message));
    const entries = await zuc.listErrors({});
    expect(entries.map((e) => e.code)).toEqual(ERROR_CATALOG.map((e) => e.code));
    expect(ipc.invoked).toEqual([{ channel: callChannel('listErrors'), message: { t: 'call', id: expect.any(Number), method: 'listErrors', request: {} } }]);
  });

  it('rejects with the catalogued error as plain data the page can read', async () => {
    const { zuc } = bridge((_channel, message) => ({ t: 'err', id: message.id, error: new ZucError(E.UNKNOWN_TERMINAL, 'tcp://10.0.0.9:7000').toJSON() }));
    const reason = (await zuc.refreshDevice({ address: 'tcp://10.0.0.9:7000' }).catch((e: unknown) => e)) as BridgedError;
    expect(reason).not.toBeInstanceOf(Error);
    expect(reason).toMatchObject({ name: 'ZucError', code: E.UNKNOWN_TERMINAL.code, remedy: E.UNKNOWN_TERMINAL.remedy, detail: 'tcp://10.0.0.9:7000' });
    // What the page does with any failure.
    expect(ZucError.from(reason).code).toBe(E.UNKNOWN_TERMINAL.code);
    expect(ZucError.from(reason).detail).toBe('tcp://10.0.0.9:7000');
  });

  it.each([
    ['an answer to another call', (_c: string, m: RpcMessage & { t: 'call' }): unknown => ({ t: 'ok', id: m.id + 1, value: [] })],
    ['something that is not a reply', (): unknown => 'hello'],
    ['a value that breaks the contract', (_c: string, m: RpcMessage & { t: 'call' }): unknown => ({ t: 'ok', id: m.id, value: [{ code: 1 }] })],
  ])('turns %s into BAD_REQUEST instead of hanging', async (_what, main) => {
    const { zuc } = bridge(main);
    await expect(zuc.listErrors({})).rejects.toMatchObject({ code: E.BAD_REQUEST.code });
  });

  it('fails the call with a catalogued error when main has no answer at all', async () => {
    const { zuc } = bridge(() => {
      throw new Error("No handler registered for 'zuc:call:listErrors'");
    });
    await expect(zuc.listErrors({})).rejects.toMatchObject({ code: E.INTERNAL.code });
  });

  it('delivers events from their channel to subscribers until they unsubscribe, dropping malformed ones', () => {
    const { ipc, zuc } = bridge(() => undefined);
    const seen: unknown[] = [];
    const subscription = zuc.onDeviceRemoved((e) => seen.push(e));
    ipc.fromMain(eventChannel('onDeviceRemoved'), { t: 'event', name: 'onDeviceRemoved', payload: { address: 'tcp://10.0.0.9:7000' } });
    ipc.fromMain(eventChannel('onDeviceRemoved'), { t: 'event', name: 'onDeviceRemoved', payload: { address: 42 } });
    ipc.fromMain(eventChannel('onDeviceRemoved'), 'not a message');
    subscription.dispose();
    ipc.fromMain(eventChannel('onDeviceRemoved'), { t: 'event', name: 'onDeviceRemoved', payload: { address: 'tcp://10.0.0.8:7000' } });
    expect(seen).toEqual([{ address: 'tcp://10.0.0.9:7000' }]);
  });
});
