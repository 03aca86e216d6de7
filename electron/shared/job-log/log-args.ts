import { z } from 'zod';
import { SlotNameSchema, SlotStateSchema } from '../contract/device';
import { InstallStepSchema, JobResultSchema } from '../contract/job';
import { lookupError, type ZucError } from '../errors';

/** A catalogued failure as a log line names it: the title comes from the catalogue (and its translation), the detail is this occurrence's own words. */
export const LogErrorSchema = z.object({ code: z.string().min(1), detail: z.string() });
export type LogError = z.infer<typeof LogErrorSchema>;

export function logError(error: ZucError): LogError {
  return { code: error.code, detail: error.detail };
}

/** The English words `ZucError.message` uses: the title, then the detail when there is one. */
export function englishErrorWords(error: LogError): string {
  const title = lookupError(error.code)?.title;
  if (!title) return error.detail || error.code;
  return error.detail ? `${title}: ${error.detail}` : title;
}

export const LogSlotSchema = SlotNameSchema;
export const LogSlotStateSchema = SlotStateSchema;

/** The pipeline machine's nodes, as the log names them when one fails or routes elsewhere. */
export const LogNodeSchema = z.enum(['detect', 'verify', 'backup', 'write', 'reconnect', 'readback', 'activate', 'reboot', 'confirm', 'rollback', 'restore']);
export type LogNode = z.infer<typeof LogNodeSchema>;
/** Where a route leads: a node or one of the machine's ends. */
export const LogTargetSchema = z.union([LogNodeSchema, z.enum(['succeeded', 'failed', 'rolledBack'])]);
export type LogTarget = z.infer<typeof LogTargetSchema>;

/** The machine's named exceptions to its default transitions. */
export const LogRouteSchema = z.enum(['resume-write', 'restore-backup', 'back-up-first']);
export type LogRoute = z.infer<typeof LogRouteSchema>;
export const ROUTE_ENGLISH: Record<LogRoute, string> = {
  'resume-write': 'link dropped during a resumable write',
  'restore-backup': 'single-slot terminal: restoring its backup',
  'back-up-first': 'single-slot terminal: backing up its running image before writing over it',
};

export const LogStateKindSchema = z.enum(['queued', 'detecting', 'verifying', 'backing-up', 'installing', 'rolling-back', 'waiting-for-terminal', 'reporting', 'done']);

/** A job state as a transition line names it: its kind and the one fact that goes with it. */
export const LogStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['queued', 'detecting', 'verifying', 'backing-up', 'done']) }),
  z.object({ kind: z.literal('installing'), step: InstallStepSchema }),
  z.object({ kind: z.literal('reporting'), result: JobResultSchema }),
  z.object({ kind: z.literal('rolling-back'), code: z.string() }),
  z.object({ kind: z.literal('waiting-for-terminal'), deadline: z.string() }),
]);
export type LogState = z.infer<typeof LogStateSchema>;

export function englishState(state: LogState): string {
  switch (state.kind) {
    case 'installing':
      return `installing (${state.step})`;
    case 'reporting':
      return `reporting (${state.result})`;
    case 'rolling-back':
      return `rolling-back after ${state.code}`;
    case 'waiting-for-terminal':
      return `waiting-for-terminal until ${state.deadline}`;
    default:
      return state.kind;
  }
}

/** One package a source offered, as the offers line lists it. */
export const LogOfferSchema = z.object({
  packageId: z.string(),
  type: z.enum(['full', 'delta']),
  version: z.string(),
  size: z.number().nonnegative(),
  source: z.string(),
});
export type LogOffer = z.infer<typeof LogOfferSchema>;
