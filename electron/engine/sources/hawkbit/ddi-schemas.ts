import { z } from 'zod';
import { E, ZucError } from '../../../shared/errors';

/**
 * The parts of the hawkBit DDI API the console reads (ota-anchors §4, the
 * DDI JSON model). Unknown fields are allowed: newer servers add some.
 */

const LinkSchema = z.object({ href: z.string().min(1) });

/** `config.polling.sleep`: how long the server wants the target to wait between polls. */
export const POLLING_SLEEP = /^(\d{2}):([0-5]\d):([0-5]\d)$/;

export const ControllerBaseSchema = z.object({
  config: z.object({ polling: z.object({ sleep: z.string().regex(POLLING_SLEEP) }) }),
  _links: z
    .object({
      deploymentBase: LinkSchema.optional(),
      cancelAction: LinkSchema.optional(),
      configData: LinkSchema.optional(),
      installedBase: LinkSchema.optional(),
    })
    .optional(),
});
export type ControllerBase = z.infer<typeof ControllerBaseSchema>;

const HexSchema = (length: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${length}}$`)).transform((s) => s.toLowerCase());

export const ArtifactSchema = z.object({
  filename: z.string().min(1),
  hashes: z.object({ sha256: HexSchema(64).optional(), sha1: HexSchema(40).optional(), md5: HexSchema(32).optional() }),
  size: z.number().int().nonnegative(),
  _links: z
    .object({ download: LinkSchema.optional(), 'download-http': LinkSchema.optional(), md5sum: LinkSchema.optional(), 'md5sum-http': LinkSchema.optional() })
    .optional(),
});
export type DdiArtifact = z.infer<typeof ArtifactSchema>;

const HandlingSchema = z.enum(['skip', 'attempt', 'forced']);
export type Handling = z.infer<typeof HandlingSchema>;

export const ChunkSchema = z.object({
  part: z.string(),
  version: z.string(),
  name: z.string(),
  artifacts: z.array(ArtifactSchema).default([]),
});
export type DdiChunk = z.infer<typeof ChunkSchema>;

/** The action's last status messages, sent when asked with `?actionHistory=N` (newest first on hawkBit). */
export const ActionHistorySchema = z.object({
  status: z.string().optional(),
  messages: z.array(z.string()).default([]),
});

export const DeploymentBaseSchema = z.object({
  id: z.string().regex(/^\d+$/),
  actionHistory: ActionHistorySchema.optional(),
  deployment: z.object({
    download: HandlingSchema,
    update: HandlingSchema,
    maintenanceWindow: z.enum(['available', 'unavailable']).optional(),
    chunks: z.array(ChunkSchema),
  }),
});
export type DeploymentBase = z.infer<typeof DeploymentBaseSchema>;

export const CancelActionSchema = z.object({
  id: z.string().regex(/^\d+$/),
  cancelAction: z.object({ stopId: z.string().regex(/^\d+$/) }),
});
export type CancelAction = z.infer<typeof CancelActionSchema>;

/** Feedback execution states of DdiStatus. */
export type Execution = 'closed' | 'proceeding' | 'canceled' | 'scheduled' | 'rejected' | 'resumed' | 'downloaded' | 'download';
export type Finished = 'success' | 'failure' | 'none';

/** The body of `POST …/feedback`. */
export interface DdiFeedback {
  id: string;
  /** `yyyyMMddTHHmmss`, UTC. */
  time: string;
  status: {
    execution: Execution;
    result: { finished: Finished; progress?: { cnt: number; of: number } };
    /** Our catalog code as a number: 4002 for ZUC-4002. */
    code?: number;
    details: string[];
  };
}

/** Parses a server's JSON body against `schema`; anything else is BACKEND_BAD_RESPONSE naming what was wrong. */
export function parseDdi<T>(schema: z.ZodType<T>, body: Buffer, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ZucError(E.BACKEND_BAD_RESPONSE, `${what} is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ZucError(E.BACKEND_BAD_RESPONSE, `${what}: ${issue.path.join('.') || '(root)'} ${issue.message}`);
  }
  return parsed.data;
}

/** `HH:MM:SS` as milliseconds. */
export function pollingSleepMs(sleep: string): number {
  const match = POLLING_SLEEP.exec(sleep);
  if (!match) throw new ZucError(E.BACKEND_BAD_RESPONSE, `polling sleep '${sleep}' is not HH:MM:SS`);
  const [, h, m, s] = match;
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000;
}

/** The DDI timestamp format, UTC. */
export function ddiTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 15);
}

/** `ZUC-4002` → 4002: the number hawkBit's integer `code` field carries. */
export function feedbackCode(zucCode: string): number {
  const match = /^ZUC-(\d{4})$/.exec(zucCode);
  if (!match) throw new ZucError(E.INTERNAL, `'${zucCode}' is not a catalog code`);
  return Number(match[1]);
}
