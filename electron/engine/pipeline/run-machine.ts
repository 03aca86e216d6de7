import type { JobResult } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import { logError, logText } from '../../shared/job-log';
import type { FlashContext, FlashIo } from './flash-context';
import { FLASH_MACHINE, isFinal, type FlashMachine, type MachineNode, type NodeName, type Route, type Target } from './flash-machine';
import type { Guard } from './guards';
import type { StageTimeline } from './stage-timeline';

export interface MachineObserver {
  /** A node is about to run; the job's state changes here. */
  entered(node: NodeName, ctx: FlashContext): void;
  /** A node ended; `error` is set when it failed. */
  left(node: NodeName, ctx: FlashContext, error: ZucError | null): void;
}

export interface MachineOutcome {
  result: JobResult;
  /** The failure that decided the result, null on success. */
  error: ZucError | null;
  /** Set when the rollback branch itself failed. */
  recoveryError: ZucError | null;
}

/**
 * Runs the machine from its initial node to a final one, recording stage
 * timings and reporting every transition. `cancel` stops the job on entry to
 * any node that is still cancellable (none after activation).
 */
export async function runMachine(
  ctx: FlashContext,
  io: FlashIo,
  timeline: StageTimeline,
  observer: MachineObserver,
  cancel: AbortSignal,
  machine: FlashMachine = FLASH_MACHINE,
): Promise<MachineOutcome> {
  let recoveryError: ZucError | null = null;
  let current: Target = machine.initial;
  while (!isFinal(current)) {
    const name: NodeName = current;
    const node: MachineNode = machine.nodes[name];
    timeline.begin(node.stage, node.step);
    observer.entered(name, ctx);
    let error: ZucError | null = null;
    try {
      await runNode(node, ctx, io, cancel);
    } catch (err) {
      error = node.cancellable && cancel.aborted ? new ZucError(E.CANCELLED, `stopped during ${name}`) : ZucError.from(err);
    }
    const route: Route | undefined = node.routes?.find((r) => r.on === (error ? 'error' : 'done') && r.when(ctx, error));
    if (route) io.log(error ? 'warn' : 'info', logText('route-taken', { node: name, route: route.name, to: route.to }));
    if (error && !route?.recovers) {
      // A failure while recovering from a failure must not hide the first one.
      if (ctx.error) recoveryError = error;
      else ctx.error = error;
    }
    const next: Target = route ? route.to : error ? node.on.error : node.on.done;
    if (node.step) timeline.endStep(node.step, error ? 'failed' : 'done');
    if (isFinal(next) || machine.nodes[next].stage !== node.stage) {
      timeline.endStage(node.stage, error || node.stageFailsOnDone ? 'failed' : 'done');
    }
    observer.left(name, ctx, error);
    current = next;
  }
  return { result: machine.finals[current], error: ctx.error, recoveryError };
}

async function runNode(node: MachineNode, ctx: FlashContext, io: FlashIo, cancel: AbortSignal): Promise<void> {
  const attempts = node.retry?.attempts ?? 1;
  let backoffMs = node.retry?.backoffMs ?? 0;
  for (let attempt = 1; ; attempt++) {
    try {
      if (node.cancellable && cancel.aborted) throw new ZucError(E.CANCELLED);
      return await attemptNode(node, ctx, io, cancel);
    } catch (err) {
      const error = ZucError.from(err);
      if (attempt >= attempts || !error.entry.retryable || cancel.aborted) throw error;
      io.log('warn', logText('retrying', { error: logError(error), backoffMs, attempt: attempt + 1, attempts }));
      await io.clock.sleep(backoffMs, cancel);
      backoffMs *= node.retry?.backoffFactor ?? 1;
    }
  }
}

async function attemptNode(node: MachineNode, ctx: FlashContext, io: FlashIo, cancel: AbortSignal): Promise<void> {
  for (const guard of node.requires ?? []) check(guard, ctx);
  const deadline = new AbortController();
  const signals = node.cancellable ? [deadline.signal, cancel] : [deadline.signal];
  const work = node.invoke(ctx, io, AbortSignal.any(signals));
  if (node.timeout) {
    const { after, error } = node.timeout;
    const ms = io.timeouts[after];
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        deadline.abort();
        reject(new ZucError(error, `no result within ${ms} ms`));
      }, ms);
    });
    // The aborted work settles on its own; its late rejection is not the node's outcome.
    work.catch(() => undefined);
    try {
      await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  } else {
    await work;
  }
  for (const guard of node.guards ?? []) check(guard, ctx);
}

function check(guard: Guard, ctx: FlashContext): void {
  if (!guard.holds(ctx)) throw new ZucError(guard.error, guard.explain(ctx));
}
