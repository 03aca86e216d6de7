import { z } from 'zod';
import { ErrorPayloadSchema } from './error-payload';
import { MAX_STAGED_IMAGE_BYTES } from './image';

/** Largest package file the Library screen imports through the contract (bytes): the same bound as a staged image. */
export const MAX_IMPORT_PACKAGE_BYTES = MAX_STAGED_IMAGE_BYTES;

/**
 * A package's signatures judged against the trust store in the settings:
 * `trusted` (a trusted, unrevoked key signed it and its payloads are intact),
 * `untrusted` (signed only by keys the store does not hold), `revoked`,
 * `unsigned`, `invalid` (a signature or payload does not match, or the file
 * is not a readable package), `unchecked` (a catalog or hawkBit package not
 * downloaded yet: verified when it is).
 */
export const SIGNATURE_STATUSES = ['trusted', 'untrusted', 'revoked', 'unsigned', 'invalid', 'unchecked'] as const;
export const SignatureStatusSchema = z.enum(SIGNATURE_STATUSES);
export type SignatureStatus = z.infer<typeof SignatureStatusSchema>;

export const SignerViewSchema = z.object({
  keyId: z.string(),
  status: z.enum(['trusted', 'revoked', 'unknown']),
});
export type SignerView = z.infer<typeof SignerViewSchema>;

export const SignatureViewSchema = z.object({
  status: SignatureStatusSchema,
  signers: z.array(SignerViewSchema),
  /** Why an `invalid`, `untrusted`, `revoked` or `unsigned` package would be refused at install. */
  error: ErrorPayloadSchema.nullable(),
});
export type SignatureView = z.infer<typeof SignatureViewSchema>;

export const SOURCE_KINDS = ['library', 'catalog', 'hawkbit'] as const;

/** Where a package is: its source (`library:DIR`, `catalog:URL`, `hawkbit:URL/TENANT`) and its place in it (path in the folder, the catalog's package id, or `SERIAL/ARTIFACT` of a hawkBit deployment). */
export const PackageLocationSchema = z.object({
  source: z.string().min(1).max(4200),
  location: z.string().min(1).max(4096),
});
export type PackageLocation = z.infer<typeof PackageLocationSchema>;

/** One row of the Library screen. Fields a damaged file does not reveal are null. */
export const LibraryEntrySchema = PackageLocationSchema.extend({
  sourceKind: z.enum(SOURCE_KINDS),
  /** hawkBit only: the serial of the terminal the deployment is assigned to. */
  assignedTo: z.string().nullable(),
  packageId: z.string().nullable(),
  models: z.array(z.string()),
  hwRevisions: z.array(z.string()),
  version: z.string().nullable(),
  type: z.enum(['full', 'delta']).nullable(),
  /** Delta only: the version and the image hash it applies to. */
  baseVersion: z.string().nullable(),
  baseSha256: z.string().nullable(),
  /** Bytes of the package file. */
  size: z.number().int().nonnegative(),
  signature: SignatureViewSchema,
});
export type LibraryEntry = z.infer<typeof LibraryEntrySchema>;

/** How each configured source answered; a failed one keeps its code and the others still list. */
export const LibrarySourceViewSchema = z.object({
  source: z.string(),
  kind: z.enum(SOURCE_KINDS),
  /** `per-terminal`: a hawkBit server with no identified terminal to ask for: it assigns packages per terminal. */
  state: z.enum(['ok', 'failed', 'per-terminal']),
  packages: z.number().int().nonnegative(),
  error: ErrorPayloadSchema.nullable(),
});
export type LibrarySourceView = z.infer<typeof LibrarySourceViewSchema>;

export const LibraryListingSchema = z.object({
  sources: z.array(LibrarySourceViewSchema),
  packages: z.array(LibraryEntrySchema),
  /** The library folder an imported package is copied into (the first in the settings); null when none is configured. */
  importFolder: z.string().nullable(),
});
export type LibraryListing = z.infer<typeof LibraryListingSchema>;

export const PartitionViewSchema = z.object({
  name: z.string(),
  /** The image written to the slot. */
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  encoding: z.enum(['raw', 'brotli', 'delta']),
  payloadSize: z.number().int().nonnegative(),
  payloadSha256: z.string(),
  /** Delta only: the image the delta applies to. */
  sourceSize: z.number().int().nonnegative().nullable(),
  sourceSha256: z.string().nullable(),
});
export type PartitionView = z.infer<typeof PartitionViewSchema>;

/** A signed manifest, every field, as the details view shows it. */
export const ManifestViewSchema = z.object({
  packageId: z.string(),
  type: z.enum(['full', 'delta']),
  models: z.array(z.string()),
  hwRevisions: z.array(z.string()),
  version: z.string(),
  securityVersion: z.number().int().nonnegative(),
  baseVersion: z.string().nullable(),
  createdAt: z.string(),
  releaseNotes: z.string(),
  partitions: z.array(PartitionViewSchema),
  formatVersion: z.number().int(),
});
export type ManifestView = z.infer<typeof ManifestViewSchema>;

export const PackageDetailsSchema = z.object({
  entry: LibraryEntrySchema,
  /** Null for a catalog or hawkBit package not downloaded yet: only what the source announces is known. */
  manifest: ManifestViewSchema.nullable(),
  /** From the catalog index when the manifest is not at hand. */
  securityVersion: z.number().int().nonnegative().nullable(),
  releaseNotes: z.string().nullable(),
  /** SHA-256 of the package file, when known without reading it whole (catalog) or once read (library). */
  fileSha256: z.string().nullable(),
});
export type PackageDetails = z.infer<typeof PackageDetailsSchema>;

export const ImportPackageRequestSchema = z.object({
  name: z.string().min(1).max(255),
  data: z.instanceof(Uint8Array).refine((d) => d.byteLength <= MAX_IMPORT_PACKAGE_BYTES, 'package too large'),
});

export const ImportedPackageSchema = z.object({
  entry: LibraryEntrySchema,
  /** True when the very same file was already in the library: nothing was copied. */
  alreadyPresent: z.boolean(),
});
export type ImportedPackage = z.infer<typeof ImportedPackageSchema>;
