import { z } from 'zod';
import { ErrorPayloadSchema } from './error-payload';
import { ImageRefSchema } from './image';
import { MAX_UPDATE_ADDRESSES } from './update';

/**
 * Why a terminal cannot take an image (`error`: the engine would refuse the
 * job before writing) or should only take it on purpose (`warning`).
 *
 * Errors: wrong-model, wrong-hw-revision, downgrade (below the terminal's
 * security version), too-large (for its slot), busy, not-ready, no-header,
 * delta-base-mismatch (a full package is needed), delta-unsupported,
 * package-refused (signature or payload: applies to every terminal).
 * Warnings: same-version, older-version, unsigned-dev (accepted only in
 * development mode).
 */
export const CompatibilityIssueKindSchema = z.enum([
  'wrong-model',
  'wrong-hw-revision',
  'downgrade',
  'too-large',
  'busy',
  'not-ready',
  'no-header',
  'delta-base-mismatch',
  'delta-unsupported',
  'package-refused',
  'same-version',
  'older-version',
  'unsigned-dev',
]);
export type CompatibilityIssueKind = z.infer<typeof CompatibilityIssueKindSchema>;

export const CompatibilityIssueSchema = z.object({
  kind: CompatibilityIssueKindSchema,
  severity: z.enum(['warning', 'error']),
  /** What the terminal has (its model, version, slot size in bytes…), for the sentence the UI builds. */
  terminal: z.string().max(256),
  /** What the image has or needs. */
  image: z.string().max(256),
  /** The catalogued refusal the job would end with; null for a warning. */
  error: ErrorPayloadSchema.nullable(),
});
export type CompatibilityIssue = z.infer<typeof CompatibilityIssueSchema>;

export const CompatibilityStatusSchema = z.enum(['compatible', 'warning', 'error']);
export type CompatibilityStatus = z.infer<typeof CompatibilityStatusSchema>;

export const TerminalCompatibilitySchema = z.object({
  address: z.string(),
  /** `error` when any issue is an error, `warning` when any is a warning. */
  status: CompatibilityStatusSchema,
  issues: z.array(CompatibilityIssueSchema),
  /** Version the terminal runs now; null when it was never identified. */
  fromVersion: z.string().nullable(),
  /** Slot the image would be written to; null when it cannot be flashed. */
  targetSlot: z.enum(['a', 'b']).nullable(),
});
export type TerminalCompatibility = z.infer<typeof TerminalCompatibilitySchema>;

/** What the engine found in the file itself, whatever the terminal. */
export const ImageVerificationSchema = z.object({
  /** A raw firmware image, or a signed `.zup` package (full or delta). */
  kind: z.enum(['image', 'full-package', 'delta-package', 'unreadable']),
  /** For a package: at least one signature by a trusted key (`trusted`), only untrusted or revoked keys, or none. Raw images are `none`. */
  signature: z.enum(['trusted', 'untrusted', 'revoked', 'unsigned', 'none']),
  /** Key ids of the package's signatures. */
  signers: z.array(z.string()),
  packageId: z.string().nullable(),
  version: z.string().nullable(),
  securityVersion: z.number().int().nonnegative().nullable(),
  /** For a delta: the version it applies to. */
  baseVersion: z.string().nullable(),
  /** Bytes that would go into the slot (the image inside a package). */
  imageBytes: z.number().int().nonnegative(),
  /** Refusals that hold for every terminal (bad signature, corrupt payload, no header…). */
  problems: z.array(ErrorPayloadSchema),
});
export type ImageVerification = z.infer<typeof ImageVerificationSchema>;

export const FlashCompatibilityRequestSchema = z.object({
  image: ImageRefSchema,
  addresses: z.array(z.string().min(1).max(512)).min(1).max(MAX_UPDATE_ADDRESSES),
});

export const FlashCompatibilitySchema = z.object({
  image: ImageVerificationSchema,
  /** One entry per address asked, in the same order. */
  terminals: z.array(TerminalCompatibilitySchema),
});
export type FlashCompatibility = z.infer<typeof FlashCompatibilitySchema>;
