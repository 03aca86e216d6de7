import type { InstallStep, JobResult, StageName } from '../../shared/contract';
import { E, type ErrorEntry, type ZucError } from '../../shared/errors';
import type { LogRoute } from '../../shared/job-log';
import type { EngineTimeouts } from '../timeouts';
import {
  activateNewSlot,
  awaitTerminalBack,
  confirmNewSlot,
  detectTerminal,
  readBackSlot,
  readImage,
  rebootIntoNewSlot,
  rollBackToPreviousSlot,
  writeInactiveSlot,
  type Action,
} from './flash-actions';
import {
  activeSlotGood,
  imageFitsSlot,
  imageHasHeader,
  imageMatchesTerminal,
  newSlotBooted,
  newSlotConfirmed,
  newVersionRunning,
  readbackMatches,
  singleSlot,
  type Guard,
} from './guards';
import { backUpRunningImage, restoreBackup } from './single-slot-actions';
import type { FlashContext } from './flash-context';

export type NodeName = 'detect' | 'verify' | 'backup' | 'write' | 'reconnect' | 'readback' | 'activate' | 'reboot' | 'confirm' | 'rollback' | 'restore';
/** Where a job ends; each maps to a job result. */
export type FinalName = 'succeeded' | 'failed' | 'rolledBack';
export type Target = NodeName | FinalName;

export interface RetryPolicy {
  /** Tries in all, the first included. Only retryable errors are tried again. */
  attempts: number;
  backoffMs: number;
  /** Each further wait is this many times the previous one. */
  backoffFactor: number;
}

export interface MachineNode {
  /** Where the node's time is recorded. */
  stage: StageName;
  step?: InstallStep;
  /** Conditions checked before `invoke`. */
  requires?: readonly Guard[];
  invoke: Action;
  /** Conditions checked after `invoke` succeeded. */
  guards?: readonly Guard[];
  /** A deadline for the whole node, from the engine's timeouts, and the error it ends with. */
  timeout?: { after: keyof EngineTimeouts; error: ErrorEntry };
  retry?: RetryPolicy;
  /** Whether a cancel request may stop the job on entry to this node. Never after activation. */
  cancellable: boolean;
  /** The node's own success still means the stage failed (the rollback branch). */
  stageFailsOnDone?: boolean;
  on: { done: Target; error: Target };
  /** Exceptions to `on`, tried in order: the first that applies decides where the job goes. */
  routes?: readonly Route[];
}

/** A conditional transition, named so the job log can say why the job went there. */
export interface Route {
  name: LogRoute;
  on: 'done' | 'error';
  when(ctx: FlashContext, error: ZucError | null): boolean;
  to: Target;
  /** The failure is being recovered from (a resumed write), so it is not the job's failure. */
  recovers?: boolean;
}

/** How many times one write may be resumed after the link dropped, so a flapping link cannot loop forever. */
export const MAX_WRITE_RESUMES = 5;
const LINK_DROPS = new Set<string>([E.LINK_LOST.code, E.LINK_TIMEOUT.code]);

/** The link dropped during a full-image write to a terminal that resumes writes: wait for it instead of failing. */
const RESUME_AFTER_LINK_DROP: Route = {
  name: 'resume-write',
  on: 'error',
  when: (ctx, error) => error !== null && LINK_DROPS.has(error.code) && ctx.before?.capabilities?.resume === true && ctx.patch === null && ctx.resumes < MAX_WRITE_RESUMES,
  to: 'reconnect',
  recovers: true,
};

/** A single-slot terminal whose image was (being) overwritten: there is no old slot to fall back to, only the backup. */
const RESTORE_SINGLE_SLOT: Route = {
  name: 'restore-backup',
  on: 'error',
  when: (ctx) => ctx.backup !== null,
  to: 'restore',
};

const BACK_UP_SINGLE_SLOT: Route = {
  name: 'back-up-first',
  on: 'done',
  when: singleSlot,
  to: 'backup',
};

/** Reaching the terminal may take a second try: a cable re-seated, a port just enumerated. */
export const DETECT_RETRY: RetryPolicy = { attempts: 2, backoffMs: 250, backoffFactor: 2 };

/**
 * Failure routes, named once. Before activation the terminal's active slot
 * was never touched, so the job just fails; from activation on, the
 * previous slot must be restored.
 */
const FAIL: Target = 'failed';
const ROLLBACK: Target = 'rollback';

/**
 * The manual flash pipeline.
 *
 *   detect ─► verify ─► write ─► readback ─► activate ─► reboot ─► confirm ─► succeeded
 *     │         │       │ ▲ │       │            │          │          │
 *     │         │       │ │ ▼       │            │          │          │
 *     │         │       │ reconnect (link dropped, terminal resumes writes; waits reconnectWaitMs)
 *     │         │       │   │       │            │          │          │
 *     └─────────┴───────┴───┴───────┴─► failed   └──────────┴──────────┴─► rollback ─► rolledBack
 *                                          ▲                                  │
 *                                          └──────────────────────────────────┘ (rollback itself failed)
 *
 * A single-slot terminal (capabilities.slots 1) goes verify ─► backup ─► write,
 * writes over its running slot, and every failure from write on goes to
 * restore (the backup written back and booted) ─► rolledBack, or failed.
 */
export const FLASH_MACHINE = {
  initial: 'detect' as NodeName,
  nodes: {
    detect: {
      stage: 'detect',
      invoke: detectTerminal,
      guards: [activeSlotGood],
      retry: DETECT_RETRY,
      cancellable: true,
      on: { done: 'verify', error: FAIL },
    },
    verify: {
      stage: 'verify',
      invoke: readImage,
      guards: [imageFitsSlot, imageHasHeader, imageMatchesTerminal],
      cancellable: true,
      on: { done: 'write', error: FAIL },
      routes: [BACK_UP_SINGLE_SLOT],
    },
    /** Single-slot terminals only: nothing is written until the running image is safe on the console. */
    backup: { stage: 'install', invoke: backUpRunningImage, cancellable: true, on: { done: 'write', error: FAIL } },
    write: {
      stage: 'install',
      step: 'write',
      invoke: writeInactiveSlot,
      cancellable: true,
      on: { done: 'readback', error: FAIL },
      routes: [RESUME_AFTER_LINK_DROP, RESTORE_SINGLE_SLOT],
    },
    /** Shown as `waiting-for-terminal` with a countdown; a terminal that does not come back in time fails the job. */
    reconnect: {
      stage: 'install',
      invoke: awaitTerminalBack,
      timeout: { after: 'reconnectWaitMs', error: E.LINK_LOST },
      cancellable: true,
      on: { done: 'write', error: FAIL },
      routes: [RESTORE_SINGLE_SLOT],
    },
    readback: {
      stage: 'install',
      step: 'readback',
      invoke: readBackSlot,
      guards: [readbackMatches],
      cancellable: true,
      on: { done: 'activate', error: FAIL },
      routes: [RESTORE_SINGLE_SLOT],
    },
    activate: { stage: 'install', step: 'activate', invoke: activateNewSlot, cancellable: true, on: { done: 'reboot', error: ROLLBACK }, routes: [RESTORE_SINGLE_SLOT] },
    reboot: {
      stage: 'install',
      step: 'reboot',
      invoke: rebootIntoNewSlot,
      timeout: { after: 'bootMs', error: E.NO_BOOT },
      cancellable: false,
      on: { done: 'confirm', error: ROLLBACK },
      routes: [RESTORE_SINGLE_SLOT],
    },
    confirm: {
      stage: 'install',
      step: 'confirm',
      requires: [newSlotBooted, newVersionRunning],
      invoke: confirmNewSlot,
      guards: [newSlotConfirmed],
      cancellable: false,
      on: { done: 'succeeded', error: ROLLBACK },
      routes: [RESTORE_SINGLE_SLOT],
    },
    rollback: {
      stage: 'install',
      invoke: rollBackToPreviousSlot,
      timeout: { after: 'rollbackMs', error: E.NO_BOOT },
      cancellable: false,
      stageFailsOnDone: true,
      on: { done: 'rolledBack', error: FAIL },
    },
    /** A whole write and a reboot: slower than switching slots, hence the rollback deadline. */
    restore: {
      stage: 'install',
      invoke: restoreBackup,
      timeout: { after: 'rollbackMs', error: E.NO_BOOT },
      cancellable: false,
      stageFailsOnDone: true,
      on: { done: 'rolledBack', error: FAIL },
    },
  } satisfies Record<NodeName, MachineNode> as Record<NodeName, MachineNode>,
  finals: { succeeded: 'success', failed: 'failed', rolledBack: 'rolled-back' } satisfies Record<FinalName, JobResult>,
};

export type FlashMachine = typeof FLASH_MACHINE;

export function isFinal(target: Target): target is FinalName {
  return Object.hasOwn(FLASH_MACHINE.finals, target);
}
