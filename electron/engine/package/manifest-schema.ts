import { z } from 'zod';
import { E, ZucError } from '../../shared/errors';
import { MAX_PARTITION_BYTES, MAX_PARTITIONS, MAX_RELEASE_NOTES_CHARS, PACKAGE_FORMAT_VERSION } from './limits';

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Partition names end up as file names in the package cache: lower case, no separators. */
export const PARTITION_NAME = /^[a-z0-9][a-z0-9_.-]{0,31}$/;
export const PACKAGE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const MODEL_OR_REVISION = /^[A-Za-z0-9*][A-Za-z0-9 ._+-]{0,63}$/;
export const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;

const sha256 = z.string().regex(SHA256_HEX, 'expected 64 lowercase hex digits');
const byteSize = z.number().int().min(1).max(MAX_PARTITION_BYTES);
const offset = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const noDotDot = (s: string): boolean => !s.includes('..');

export const PayloadEncodingSchema = z.enum(['raw', 'brotli', 'delta']);
export type PayloadEncoding = z.infer<typeof PayloadEncodingSchema>;

export const PartitionSchema = z
  .strictObject({
    name: z.string().regex(PARTITION_NAME).refine(noDotDot, 'must not contain ..'),
    size: byteSize,
    sha256,
    payload: z.strictObject({ encoding: PayloadEncodingSchema, offset, size: byteSize, sha256 }),
    source: z.strictObject({ size: byteSize, sha256 }).optional(),
  })
  .superRefine((p, ctx) => {
    const isDelta = p.payload.encoding === 'delta';
    if (isDelta !== (p.source !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['source'], message: isDelta ? 'a delta payload needs its source' : 'only a delta payload has a source' });
    }
    if (p.payload.encoding === 'raw' && (p.payload.size !== p.size || p.payload.sha256 !== p.sha256)) {
      ctx.addIssue({ code: 'custom', path: ['payload'], message: 'a raw payload is the image itself: same size and sha256' });
    }
  });
export type Partition = z.infer<typeof PartitionSchema>;

export const ManifestSchema = z
  .strictObject({
    formatVersion: z.literal(PACKAGE_FORMAT_VERSION),
    packageId: z.string().regex(PACKAGE_ID).refine(noDotDot, 'must not contain ..'),
    type: z.enum(['full', 'delta']),
    models: z.array(z.string().regex(MODEL_OR_REVISION)).min(1).max(64),
    hwRevisions: z.array(z.string().regex(MODEL_OR_REVISION)).min(1).max(64),
    version: z.string().regex(VERSION),
    securityVersion: z.number().int().min(0).max(2 ** 31 - 1),
    baseVersion: z.string().regex(VERSION).optional(),
    createdAt: z.iso.datetime(),
    releaseNotes: z.string().max(MAX_RELEASE_NOTES_CHARS),
    partitions: z.array(PartitionSchema).min(1).max(MAX_PARTITIONS),
  })
  .superRefine((m, ctx) => {
    const names = m.partitions.map((p) => p.name);
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', path: ['partitions'], message: 'partition names must be unique' });
    const hasDelta = m.partitions.some((p) => p.payload.encoding === 'delta');
    if (hasDelta !== (m.type === 'delta')) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'type is delta exactly when a partition has a delta payload' });
    }
    if ((m.type === 'delta') !== (m.baseVersion !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['baseVersion'], message: 'baseVersion is required in a delta package and forbidden in a full one' });
    }
  });
export type Manifest = z.infer<typeof ManifestSchema>;

/** Control characters, separators, traversal and drive letters: what turns a name into a path. */
function pathLikeReason(name: string): string | null {
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return 'contains control characters';
  if (name.includes('/') || name.includes('\\')) return 'contains a path separator';
  if (name.includes('..')) return "contains '..'";
  if (name.startsWith('.')) return 'starts with a dot';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  return null;
}

/** Refuses path-like names with their own code before the schema speaks, so the user learns the package is hostile, not merely malformed. */
function assertSafeNames(raw: unknown): void {
  if (raw === null || typeof raw !== 'object') return;
  const { packageId, partitions } = raw as { packageId?: unknown; partitions?: unknown };
  const named: [string, unknown][] = [['packageId', packageId]];
  if (Array.isArray(partitions)) partitions.forEach((p, i) => named.push([`partitions[${i}].name`, (p as { name?: unknown } | null)?.name]));
  for (const [where, name] of named) {
    if (typeof name !== 'string') continue;
    const reason = pathLikeReason(name);
    if (reason) throw new ZucError(E.PACKAGE_UNSAFE_NAME, `${where} ${JSON.stringify(name.slice(0, 80))} ${reason}`);
  }
}

/** Sizes beyond the format's limits get their own code: a hostile package announcing terabytes, not a typo. */
function assertReasonableSizes(raw: unknown): void {
  const partitions = (raw as { partitions?: unknown } | null)?.partitions;
  if (!Array.isArray(partitions)) return;
  partitions.forEach((p, i) => {
    const entry = (p ?? {}) as { size?: unknown; payload?: { size?: unknown } | null; source?: { size?: unknown } | null };
    const sizes: [string, unknown][] = [
      ['size', entry.size],
      ['payload.size', entry.payload?.size],
      ['source.size', entry.source?.size],
    ];
    for (const [field, value] of sizes) {
      if (typeof value === 'number' && value > MAX_PARTITION_BYTES) {
        throw new ZucError(E.PACKAGE_SIZE_UNREASONABLE, `partitions[${i}].${field} is ${value} bytes, the limit is ${MAX_PARTITION_BYTES}`);
      }
    }
  });
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(manifest)'}: ${i.message}`)
    .join('; ');
}

/** Validates a parsed manifest: path-like names first (ZUC-5012), absurd sizes (ZUC-5009), then the schema (ZUC-5011). */
export function parseManifest(raw: unknown): Manifest {
  assertSafeNames(raw);
  assertReasonableSizes(raw);
  const result = ManifestSchema.safeParse(raw);
  if (!result.success) throw new ZucError(E.PACKAGE_MANIFEST_INVALID, describeIssues(result.error));
  return result.data;
}
