import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { E, ERROR_CATALOG } from '../../shared/errors';
import { RpcMessageSchema, type RpcMessage } from '../../shared/rpc';
import { createEngine } from '../index';
import { SHUTDOWN_REQUEST } from './control-message';
import { hostEngine } from './engine-host';
import type { ParentPortLike } from './parent-port';

/**
 * A real message channel stands in for Electron's parent port: like it, a
 * port queues messages until a listener is attached. Electron wraps each
 * message in a MessageEvent, hence `{ data }`.
 */
function parentPortPair(): { port: ParentPortLike; parent: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  const port: ParentPortLike = {
    on: (_event, listener) => port2.on('message', (data: unknown) => listener({ data })),
    postMessage: (message) => port2.postMessage(message),
  };
  return { port, parent: port1 };
}

function nextReply(parent: MessagePort): Promise<RpcMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: unknown) => {
      const parsed = RpcMessageSchema.safeParse(data);
      if (parsed.success && parsed.data.t !== 'event') {
        parent.off('message', onMessage);
        resolve(parsed.data);
      }
    };
    parent.on('message', onMessage);
  });
}

let tmp: string;
const channels: MessagePort[] = [];

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zuc-engine-host-'));
});
afterEach(async () => {
  for (const port of channels.splice(0)) port.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('engine host in the utility process', () => {
  it('answers contract calls that arrived before the engine had opened', async () => {
    const { port, parent } = parentPortPair();
    channels.push(parent);
    parent.postMessage({ t: 'call', id: 7, method: 'listErrors', request: {} });
    const exits: number[] = [];
    const hosting = hostEngine(port, async () => createEngine({ dataDir: tmp }), (code) => exits.push(code));
    const reply = await nextReply(parent);
    await hosting;
    expect(reply).toMatchObject({ t: 'ok', id: 7 });
    expect((reply as { value: unknown[] }).value).toHaveLength(ERROR_CATALOG.length);
    parent.postMessage(SHUTDOWN_REQUEST);
    await expect.poll(() => exits).toEqual([0]);
  });

  it('rejects a call that does not match the contract with BAD_REQUEST', async () => {
    const { port, parent } = parentPortPair();
    channels.push(parent);
    await hostEngine(port, async () => createEngine({ dataDir: tmp }), () => {});
    parent.postMessage({ t: 'call', id: 1, method: 'addDevice', request: { address: 42 } });
    expect(await nextReply(parent)).toMatchObject({ t: 'err', id: 1, error: { code: 'ZUC-1012' } });
    parent.postMessage(SHUTDOWN_REQUEST);
  });

  it('closes the engine on shutdown so the database can be opened again', async () => {
    const { port, parent } = parentPortPair();
    channels.push(parent);
    const exits: number[] = [];
    await hostEngine(port, async () => createEngine({ dataDir: tmp }), (code) => exits.push(code));
    parent.postMessage(SHUTDOWN_REQUEST);
    parent.postMessage(SHUTDOWN_REQUEST);
    await expect.poll(() => exits).toEqual([0]);
    // After shutdown nothing is served any more.
    parent.postMessage({ t: 'call', id: 2, method: 'listErrors', request: {} });
    const late = await Promise.race([nextReply(parent), new Promise((r) => setTimeout(() => r('no reply'), 200))]);
    expect(late).toBe('no reply');
  });

  it('stays up when the engine cannot open and answers every call with that catalogued error', async () => {
    const notAFolder = path.join(tmp, 'data');
    await writeFile(notAFolder, 'a file where the data folder should be');
    const { port, parent } = parentPortPair();
    channels.push(parent);
    const exits: number[] = [];
    await hostEngine(port, async () => createEngine({ dataDir: notAFolder }), (code) => exits.push(code));
    parent.postMessage({ t: 'call', id: 3, method: 'getSnapshot', request: {} });
    const reply = await nextReply(parent);
    expect(reply.t).toBe('err');
    expect((reply as Extract<RpcMessage, { t: 'err' }>).error).toMatchObject({ code: E.DATABASE.code, remedy: E.DATABASE.remedy });
    expect(exits).toEqual([]);
    parent.postMessage(SHUTDOWN_REQUEST);
    await expect.poll(() => exits).toEqual([0]);
  });
});
