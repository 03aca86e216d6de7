/** Format limits of `.zup` version 1 (docs/package-format.md). A reader refuses anything above them before allocating. */

export const PACKAGE_MAGIC = Uint8Array.of(0x89, 0x5a, 0x55, 0x50, 0x0d, 0x0a, 0x1a, 0x0a);
export const PACKAGE_FORMAT_VERSION = 1;
export const HEADER_BYTES = 32;

export const MAX_MANIFEST_BYTES = 1024 * 1024;
export const MAX_SIGNATURES = 8;
export const SIGNATURE_ENTRY_BYTES = 100;
export const SIGNATURE_BLOCK_HEAD_BYTES = 4;
export const MAX_SIGNATURE_BLOCK_BYTES = SIGNATURE_BLOCK_HEAD_BYTES + MAX_SIGNATURES * SIGNATURE_ENTRY_BYTES;

export const MAX_PARTITIONS = 16;
/** Largest partition image, and largest single payload (bytes). */
export const MAX_PARTITION_BYTES = 2 * 1024 * 1024 * 1024;
export const MAX_PAYLOAD_AREA_BYTES = MAX_PARTITIONS * MAX_PARTITION_BYTES;
export const MAX_RELEASE_NOTES_CHARS = 16 * 1024;

/** Ed25519 algorithm number in a signature entry. */
export const ALGORITHM_ED25519 = 1;

/** A delta is kept only when it is smaller than this fraction of the compressed full image. */
export const DELTA_WORTH_RATIO = 0.9;

/** Chunk size for hashing and copying payloads from a file (bytes). */
export const READ_CHUNK_BYTES = 1024 * 1024;
