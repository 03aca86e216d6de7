import { z } from 'zod';
import { E, ZucError } from '../../shared/errors';
import { MAX_PARTITIONS, MAX_RELEASE_NOTES_CHARS } from './limits';

export const ImageEncodingSchema = z.enum(['raw', 'brotli', 'auto']);
export type ImageEncoding = z.infer<typeof ImageEncodingSchema>;

/** What a release engineer writes for `zuc pack` (docs/package-format.md section 6); the packer computes the rest. */
export const ManifestInputSchema = z.strictObject({
  packageId: z.string(),
  models: z.array(z.string()).min(1),
  hwRevisions: z.array(z.string()).min(1),
  version: z.string(),
  securityVersion: z.number().int().min(0),
  releaseNotes: z.string().max(MAX_RELEASE_NOTES_CHARS).optional(),
  createdAt: z.iso.datetime().optional(),
  partitions: z
    .array(z.strictObject({ name: z.string(), encoding: ImageEncodingSchema.optional() }))
    .min(1)
    .max(MAX_PARTITIONS)
    .optional(),
});
export type ManifestInput = z.infer<typeof ManifestInputSchema>;

export function parseManifestInput(raw: unknown, where = 'manifest input'): ManifestInput {
  const result = ManifestInputSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new ZucError(E.PACKAGE_INPUT_INVALID, `${where}: ${issues.join('; ')}`);
  }
  return result.data;
}
