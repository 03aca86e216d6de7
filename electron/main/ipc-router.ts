import { METHOD_NAMES, serviceSchema, type EventName, type MethodName, type MethodRequest } from '../shared/contract/service';
import { E, ZucError } from '../shared/errors';
import { RpcMessageSchema, type RpcMessage } from '../shared/rpc';
import { callChannel, eventChannel } from '../shared/rpc/ipc-channels';
import { WindowLedger } from './window-ledger';
import type { InvokeEventPort, IpcMainPort, WebContentsPort } from './electron-ports';
import type { EngineProcess } from './engine-process';

/** How far back in the history to look for the reports of jobs an engine crash cut off. */
const HISTORY_LOOKUP_JOBS = 500;

export interface RouterOptions {
  ipcMain: IpcMainPort;
  engine: Pick<EngineProcess, 'call' | 'onEvent' | 'onRestarted'>;
  /** Whether an IPC message comes from the console window's own page. */
  isTrustedSender(event: InvokeEventPort): boolean;
  /** The web contents events go to; null while no window is open. */
  target(): WebContentsPort | null;
  log?: (line: string) => void;
}

/**
 * Routes the contract between the window and the engine: one invoke
 * channel per method, one send channel per event, all named by
 * ipc-channels.ts. A call is checked three times before it reaches the
 * engine — sender, RpcMessage shape, request schema — and any failure is
 * answered with BAD_REQUEST. After an engine restart the window is brought
 * back in step through the contract's own events: terminals the new engine
 * does not know are removed, jobs the crash cut off get the report the
 * engine's store wrote for them, and the new snapshot is replayed.
 */
export function routeContract(options: RouterOptions): { dispose(): void } {
  const log = options.log ?? (() => {});
  const ledger = new WindowLedger();

  function emit(name: EventName, payload: unknown): void {
    const contents = options.target();
    if (!contents || contents.isDestroyed()) return;
    ledger.sawEvent(name, payload);
    contents.send(eventChannel(name), { t: 'event', name, payload } satisfies RpcMessage);
  }

  async function answer(method: MethodName, event: InvokeEventPort, message: unknown): Promise<RpcMessage> {
    const parsed = RpcMessageSchema.safeParse(message);
    const id = parsed.success && parsed.data.t === 'call' ? parsed.data.id : 0;
    const refuse = (why: string): RpcMessage => {
      log(`refused IPC ${method}: ${why}`);
      return { t: 'err', id, error: new ZucError(E.BAD_REQUEST, `${method}: ${why}`).toJSON() };
    };
    if (!options.isTrustedSender(event)) {
      log(`untrusted sender: web contents ${event.sender.id}, frame ${event.senderFrame?.url ?? '(gone)'}`);
      return refuse('the message did not come from the console window');
    }
    if (!parsed.success || parsed.data.t !== 'call') return refuse('the message is not a console call');
    if (parsed.data.method !== method) return refuse(`the call names '${parsed.data.method}' on the channel of '${method}'`);
    const request = serviceSchema.methods[method].request.safeParse(parsed.data.request);
    if (!request.success) return refuse(request.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
    try {
      const value = await options.engine.call(method, request.data as MethodRequest<typeof method>);
      ledger.sawReply(method, request.data, value);
      return { t: 'ok', id, value };
    } catch (err) {
      return { t: 'err', id, error: ZucError.from(err).toJSON() };
    }
  }

  async function resync(): Promise<void> {
    try {
      const snapshot = await options.engine.call('getSnapshot', {});
      const knownDevices = new Set(snapshot.devices.map((d) => d.address));
      for (const address of ledger.addresses) if (!knownDevices.has(address)) emit('onDeviceRemoved', { address });
      for (const device of snapshot.devices) emit('onDeviceChanged', device);
      const liveJobs = new Set(snapshot.jobs.map((j) => j.id));
      const cutOff = ledger.unfinishedJobs.filter((job) => !liveJobs.has(job.id));
      if (cutOff.length > 0) {
        // The new engine's store closed these jobs as interrupted; show the report it wrote.
        const history = await options.engine.call('listHistory', { limit: HISTORY_LOOKUP_JOBS });
        for (const job of cutOff) {
          const report = history.find((r) => r.jobId === job.id);
          if (report) emit('onJobChanged', { ...job, state: { kind: 'done', report }, stages: report.stages });
          else log(`job ${job.id} was cut off by the engine restart and has no report yet`);
        }
      }
      for (const job of snapshot.jobs) emit('onJobChanged', job);
    } catch (err) {
      log(`could not bring the window up to date after the engine restarted: ${ZucError.from(err).message}`);
    }
  }

  for (const method of METHOD_NAMES) {
    options.ipcMain.handle(callChannel(method), (event, message) => answer(method, event, message));
  }
  const events = options.engine.onEvent(emit);
  const restarts = options.engine.onRestarted(() => void resync());

  return {
    dispose() {
      for (const method of METHOD_NAMES) options.ipcMain.removeHandler(callChannel(method));
      events.dispose();
      restarts.dispose();
    },
  };
}
