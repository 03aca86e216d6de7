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

export interface ImageAssignment {
  name: string;
  path: string;
  encoding: ImageEncoding;
}

const NAME_EQUALS_PATH = /^([a-z0-9][a-z0-9_.-]{0,31})=(.+)$/;

/**
 * Maps `zuc pack` image arguments (`NAME=PATH` or `PATH`) to partitions:
 * plain paths fill the input's `partitions` in order; without that list a
 * plain path is named after its file. Every partition gets exactly one image.
 */
export function assignImages(input: ManifestInput, args: readonly string[]): ImageAssignment[] {
  if (args.length === 0) throw new ZucError(E.PACKAGE_INPUT_INVALID, 'no image given');
  const named = args.map((arg) => {
    const m = NAME_EQUALS_PATH.exec(arg);
    return m ? { name: m[1]!, path: m[2]! } : { name: undefined, path: arg };
  });
  const declared = input.partitions;
  if (!declared) {
    return named.map(({ name, path }) => {
      const fromFile = name ?? path.replace(/^.*[/\\]/, '').replace(/\.[^.]*$/, '').toLowerCase();
      if (!/^[a-z0-9][a-z0-9_.-]{0,31}$/.test(fromFile) || fromFile.includes('..')) {
        throw new ZucError(E.PACKAGE_INPUT_INVALID, `${path}: '${fromFile}' is not a partition name; write NAME=PATH`);
      }
      return { name: fromFile, path, encoding: 'auto' as const };
    });
  }
  if (named.length !== declared.length) {
    throw new ZucError(E.PACKAGE_INPUT_INVALID, `${named.length} images for ${declared.length} partitions (${declared.map((p) => p.name).join(', ')})`);
  }
  const byName = new Map(named.filter((n) => n.name !== undefined).map((n) => [n.name!, n.path]));
  const plain = named.filter((n) => n.name === undefined).map((n) => n.path);
  for (const name of byName.keys()) {
    if (!declared.some((p) => p.name === name)) throw new ZucError(E.PACKAGE_INPUT_INVALID, `image for '${name}', which the manifest input does not list`);
  }
  return declared.map((p) => {
    const path = byName.get(p.name) ?? plain.shift();
    if (path === undefined) throw new ZucError(E.PACKAGE_INPUT_INVALID, `no image for partition '${p.name}'`);
    return { name: p.name, path, encoding: p.encoding ?? 'auto' };
  });
}
