import type { InstallStep, JobResult, StageName } from '../../shared/contract';
import { E, type ErrorEntry } from '../../shared/errors';
import type { EngineTimeouts } from '../timeouts';
import {
  activateNewSlot,
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
  type Guard,
} from './guards';

export type NodeName = 'detect' | 'verify' | 'write' | 'readback' | 'activate' | 'reboot' | 'confirm' | 'rollback';
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
}

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
 *     │         │         │         │            │          │          │
 *     └─────────┴─────────┴─────────┴─► failed   └──────────┴──────────┴─► rollback ─► rolledBack
 *                                          ▲                                  │
 *                                          └──────────────────────────────────┘ (rollback itself failed)
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
    },
    write: { stage: 'install', step: 'write', invoke: writeInactiveSlot, cancellable: true, on: { done: 'readback', error: FAIL } },
    readback: {
      stage: 'install',
      step: 'readback',
      invoke: readBackSlot,
      guards: [readbackMatches],
      cancellable: true,
      on: { done: 'activate', error: FAIL },
    },
    activate: { stage: 'install', step: 'activate', invoke: activateNewSlot, cancellable: true, on: { done: 'reboot', error: ROLLBACK } },
    reboot: {
      stage: 'install',
      step: 'reboot',
      invoke: rebootIntoNewSlot,
      timeout: { after: 'bootMs', error: E.NO_BOOT },
      cancellable: false,
      on: { done: 'confirm', error: ROLLBACK },
    },
    confirm: {
      stage: 'install',
      step: 'confirm',
      requires: [newSlotBooted, newVersionRunning],
      invoke: confirmNewSlot,
      guards: [newSlotConfirmed],
      cancellable: false,
      on: { done: 'succeeded', error: ROLLBACK },
    },
    rollback: {
      stage: 'install',
      invoke: rollBackToPreviousSlot,
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
