import { z } from 'zod';
import { ErrorPayloadSchema } from './error-payload';
import { JobReportSchema } from './job';
import { SignatureStatusSchema } from './library';

/** One package a source offers for a terminal. */
export const UpdateOfferViewSchema = z.object({
  packageId: z.string(),
  version: z.string(),
  type: z.enum(['full', 'delta']),
  size: z.number().int().nonnegative(),
  /** `library:DIR`, `catalog:URL`. */
  source: z.string(),
});
export type UpdateOfferView = z.infer<typeof UpdateOfferViewSchema>;

/**
 * A newer package a source offers that was not considered for the route
 * because this console would refuse to install it: its signature is not
 * trusted by the trust store (unsigned, untrusted or revoked key, damaged).
 * `error` is the refusal the verifier would give (a ZUC-50xx code).
 */
export const SkippedOfferSchema = UpdateOfferViewSchema.extend({
  signature: SignatureStatusSchema,
  error: ErrorPayloadSchema,
});
export type SkippedOffer = z.infer<typeof SkippedOfferSchema>;

/** What `checkForUpdates` found for a terminal: every offer, the route a job would take, and the sources that failed. */
export const UpdateCheckSchema = z.object({
  address: z.string(),
  model: z.string(),
  hwRevision: z.string(),
  firmwareVersion: z.string(),
  offers: z.array(UpdateOfferViewSchema),
  /** Null when nothing newer is offered. */
  route: z
    .object({
      packageId: z.string(),
      version: z.string(),
      delta: z.boolean(),
      /** Bytes the delta spares over the full package. */
      bytesSaved: z.number().int().nonnegative(),
    })
    .nullable(),
  failures: z.array(z.object({ source: z.string(), error: ErrorPayloadSchema })),
  /**
   * Packages at or above the route's version (all newer ones when there is no route) left out
   * for their signature, newest first; empty when none. With the development flag only revoked
   * and damaged packages are left out.
   */
  skipped: z.array(SkippedOfferSchema).default([]),
});
export type UpdateCheck = z.infer<typeof UpdateCheckSchema>;

/** A finished update job: the flash job's report plus the package and what a delta saved (`zuc update --json`). */
export const UpdateReportSchema = JobReportSchema.extend({
  package: z.string().nullable(),
  source: z.string().nullable(),
  delta: z.boolean(),
  bytesSaved: z.number().int().nonnegative(),
  /** Newer packages the route left out for their signature (as in `checkForUpdates`); absent in reports of older consoles. */
  skipped: z.array(SkippedOfferSchema).optional(),
});
export type UpdateReportView = z.infer<typeof UpdateReportSchema>;

/** Terminals one `startUpdate` may queue. */
export const MAX_UPDATE_ADDRESSES = 256;
