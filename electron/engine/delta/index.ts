/**
 * The binary delta codec: our own "zdelta" format (suffix-array or hash-index matching,
 * control/diff/extra streams packed with brotli or bzip2, streaming apply with source and
 * target SHA-256 checks) and conversion to and from standard BSDIFF40.
 * Format: docs/delta-format.md. Errors: ZUC-51xx (electron/shared/errors/delta.ts).
 */
export { createDelta, type CreateDeltaOptions } from './create-delta';
export { DEFAULT_MATCHER, isMatcherName, MATCHER_NAMES, type MatcherName } from './match';
export { applyDelta, applyDeltaStream } from './apply-delta';
export { readDeltaHeader, type DeltaHeader } from './delta-header';
export { exportBsdiff40, importBsdiff40 } from './bsdiff40-convert';
export { shouldUseDelta, DELTA_WORTH_RATIO, type DeltaVerdict, type DeltaWorthOptions } from './delta-worth';
export { MAX_IMAGE_BYTES, OUTPUT_CHUNK_BYTES, FRAME_BYTES } from './limits';
export { codecWasmBytes } from './codec-memory';
