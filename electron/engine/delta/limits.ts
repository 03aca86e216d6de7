/**
 * Hard limits of the delta codec. A patch that declares more is refused
 * before anything is allocated, so a forged header cannot make the console
 * reserve gigabytes.
 */

/** Largest old or new image: suffix-array indexes are 32-bit signed. */
export const MAX_IMAGE_BYTES = 2 ** 31 - 1;

/** New-image bytes per zdelta frame; an applier holds at most one frame's decoded streams. */
export const FRAME_LOG2 = 23;
export const FRAME_BYTES = 2 ** FRAME_LOG2;

/** Accepted frame sizes when reading (a future writer may pick another within these). */
export const MIN_FRAME_LOG2 = 16;
export const MAX_FRAME_LOG2 = 24;

/** Output chunk handed to a streaming sink. */
export const OUTPUT_CHUNK_BYTES = 256 * 1024;

/** Longest control entry encoding: three varints of at most 5 bytes. */
export const MAX_CONTROL_ENTRY_BYTES = 15;
