/**
 * Signed update packages (`.zup`): build, sign, open, verify and extract.
 * The format is specified in docs/package-format.md.
 *
 *   const key = await loadSigningKey('keys/signing.key.pem');
 *   const { bytes } = packFull({ keys: [key], manifest: input, images: [{ name: 'firmware', image }] });
 *   const pkg = await openPackage(bytes);            // structure + signature maths, throws ZucError
 *   const verdict = await verifyPackage(pkg, { trustStore: dir, target: { model, hwRevision } });
 *   if (verdict.ok) image = await extractPayload(pkg, 'firmware');
 */
export { generateKeyPair, writeKeyPair, loadSigningKey, signingKeyFromPem, keyIdOf, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, type SigningKey } from './keys';
export { loadTrustStore, trustStoreOf, defaultTrustStoreDir, REVOCATION_LIST_FILE, type TrustStore } from './trust-store';
export { looksLikePackage } from './container-header';
export { openPackage, findPartition, type OpenedPackage } from './open-package';
export { verifyPackage, assertVerdict, targetProblems, type VerifyOptions, type VerifyTarget, type PackageVerdict, type SignerCheck, type SignerStatus } from './verify-package';
export { extractPayload, readPayload, type ExtractOptions } from './extract-payload';
export { packFull, type PackFullOptions, type PackResult, type PartitionImage, type PackProgress } from './pack-full';
export { parseManifestInput, assignImages, type ManifestInput, type ImageEncoding, type ImageAssignment } from './manifest-input';
export { ManifestSchema, type Manifest, type Partition, type PayloadEncoding } from './manifest-schema';
export { bytesSource, fileSource, type ByteSource } from './byte-source';
export type { PackageSignature } from './signature-block';
export { packDelta, type PackDeltaOptions, type PackDeltaResult, type DeltaDecision, type PackDeltaProgress } from './pack-delta';
export { resolveFlashImage, type ResolveFlashOptions, type FlashImage } from './resolve-flash-image';
