import { z } from 'zod';
import { ImageRefSchema } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import type { Db } from './database';

/**
 * How a job was started: what Retry starts again. A flash keeps the image
 * as the first job read it (`sha256`, null until the job read it), so a
 * retry never flashes a file that changed since.
 */
export const RetryPlanSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('flash'),
    address: z.string().min(1),
    imageName: z.string(),
    image: ImageRefSchema,
    sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  }),
  z.object({ kind: z.literal('update'), address: z.string().min(1) }),
  z.object({ kind: z.literal('rollback'), address: z.string().min(1) }),
]);
export type RetryPlan = z.infer<typeof RetryPlanSchema>;

/** A job as its retry plan sees it: whether it exists, and how it was started (null for a job of an older console). */
export type StoredPlan = { found: false } | { found: true; plan: RetryPlan | null };

/** Finished jobs the retry candidates of one snapshot come from: the newest on each of this many terminals. */
export const MAX_RETRY_CANDIDATES = 256;

/** Retry plans, kept in the jobs table next to the job they started. */
export class RetryPlanStore {
  constructor(private readonly db: Db) {}

  /** Stores the plan of a job already in the history. */
  save(jobId: string, plan: RetryPlan): void {
    this.db.prepare(`UPDATE jobs SET retry_plan_json = ? WHERE id = ?`).run(JSON.stringify(RetryPlanSchema.parse(plan)), jobId);
  }

  /** The job's plan, validated; a damaged one is refused with RETRY_PLAN_DAMAGED. */
  load(jobId: string): StoredPlan {
    const row = this.db.prepare(`SELECT retry_plan_json AS json FROM jobs WHERE id = ?`).get(jobId) as { json: string | null } | undefined;
    if (!row) return { found: false };
    if (row.json === null) return { found: true, plan: null };
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.json);
    } catch (err) {
      throw new ZucError(E.RETRY_PLAN_DAMAGED, `job ${jobId}: ${(err as Error).message}`, { cause: err });
    }
    const plan = RetryPlanSchema.safeParse(parsed);
    if (!plan.success) throw new ZucError(E.RETRY_PLAN_DAMAGED, `job ${jobId}: ${plan.error.issues.map((i) => `${i.path.join('.') || 'plan'}: ${i.message}`).join('; ')}`);
    return { found: true, plan: plan.data };
  }

  /** A job started on the same terminal after this one (any console, running or finished), or null. */
  laterJobOnTerminal(jobId: string): string | null {
    const row = this.db
      .prepare(
        `SELECT later.id FROM jobs AS job JOIN jobs AS later ON later.address = job.address
           AND (later.created_at > job.created_at OR (later.created_at = job.created_at AND later.rowid > job.rowid))
         WHERE job.id = ? LIMIT 1`,
      )
      .get(jobId) as { id: string } | undefined;
    return row?.id ?? null;
  }

  /** Per terminal, its newest job when that one finished without success and has a plan: the jobs Retry may apply to, newest first. */
  candidates(limit = MAX_RETRY_CANDIDATES): string[] {
    const rows = this.db
      .prepare(
        `SELECT id FROM (
           SELECT id, status, result, retry_plan_json, created_at,
             ROW_NUMBER() OVER (PARTITION BY address ORDER BY created_at DESC, rowid DESC) AS n
           FROM jobs)
         WHERE n = 1 AND status = 'finished' AND result != 'success' AND retry_plan_json IS NOT NULL
         ORDER BY created_at DESC LIMIT ?`,
      )
      .all(limit) as { id: string }[];
    return rows.map((r) => r.id);
  }
}
