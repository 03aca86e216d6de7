import { z } from 'zod';
import { E, ZucError } from '../../shared/errors';
import { MAX_PACKAGE_BYTES } from '../download';
import { PACKAGE_ID, VERSION } from '../package/manifest-schema';

/** Value of `format` in every catalog index. */
export const CATALOG_FORMAT = 'zuc-catalog';
export const CATALOG_FORMAT_VERSION = 1;
/** An index lists packages, not payloads: 4 MiB is tens of thousands of entries. */
export const MAX_CATALOG_BYTES = 4 * 1024 * 1024;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');
const name = z.string().regex(/^[A-Za-z0-9*][A-Za-z0-9 ._+-]{0,63}$/, 'letters, digits, space and ._+- only');
/** A path relative to the index, or an absolute http(s) URL; never another scheme. */
const packageUrl = z
  .string()
  .min(1)
  .max(2048)
  .refine((u) => !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(u) || /^https?:\/\//i.test(u), 'only http(s) URLs or paths relative to the index')
  .refine((u) => !u.startsWith('//'), 'a scheme-relative URL would leave the catalog’s protocol');

const common = {
  packageId: z.string().regex(PACKAGE_ID, 'letters, digits and ._- only'),
  url: packageUrl,
  size: z.number().int().min(1).max(MAX_PACKAGE_BYTES),
  sha256,
  models: z.array(name).min(1).max(64),
  hwRevisions: z.array(name).min(1).max(64),
  version: z.string().regex(VERSION),
  securityVersion: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  releaseNotes: z.string().max(16_384).optional(),
};

export const CatalogEntrySchema = z.discriminatedUnion('type', [
  z.strictObject({ ...common, type: z.literal('full') }),
  z.strictObject({ ...common, type: z.literal('delta'), baseVersion: z.string().regex(VERSION), baseSha256: sha256 }),
]);
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;

export const CatalogIndexSchema = z.strictObject({
  format: z.literal(CATALOG_FORMAT),
  formatVersion: z.literal(CATALOG_FORMAT_VERSION),
  generatedAt: z.iso.datetime().optional(),
  packages: z.array(CatalogEntrySchema).max(100_000),
});
export type CatalogIndex = z.infer<typeof CatalogIndexSchema>;

/** Parses index bytes: not UTF-8 JSON is CATALOG_NOT_JSON, JSON off the schema is CATALOG_INVALID naming the field. */
export function parseCatalogIndex(bytes: Uint8Array, where: string): CatalogIndex {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new ZucError(E.CATALOG_NOT_JSON, `${where}: ${(err as Error).message.slice(0, 160)}`);
  }
  const parsed = CatalogIndexSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new ZucError(E.CATALOG_INVALID, `${where}: ${at || '(top level)'}: ${issue.message}`);
  }
  const ids = new Set<string>();
  for (const entry of parsed.data.packages) {
    if (ids.has(entry.packageId)) throw new ZucError(E.CATALOG_INVALID, `${where}: package id ${entry.packageId} is listed twice`);
    ids.add(entry.packageId);
  }
  return parsed.data;
}
