import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { E, ZucError } from '../../shared/errors';
import { bunzip2 } from './bzip2-decode';
import { FRAME_LOG2 } from './limits';
import { beginBzip2 } from './parallel-bzip2';

/** How one stream of a frame is compressed; recorded per stream so each gets the coder that packs it best. */
export const STREAM_STORED = 0;
export const STREAM_BROTLI = 1;
export const STREAM_BZIP2 = 2;

export type StreamKind = 'control' | 'diff' | 'extra';

export interface PackedStream {
  codec: number;
  packed: Uint8Array;
}

/**
 * Streams up to this size get brotli's best quality (≈ 4 µs per byte, so at
 * most ~0.15 s): small control and extra streams are where it gains most
 * over the quick qualities (10–15 %), and they are a few percent of a patch.
 */
const BEST_QUALITY_MAX_BYTES = 32 << 10;
/**
 * Brotli quality for larger streams: quality 7 packs within ~2 % of 9 at a
 * third of the time; 10 and 11 gain another 5–10 % on dense streams but cost
 * 30–100× (seconds for a few MB), which the diff-time budget (half of
 * bsdiff's) does not allow.
 */
const BULK_QUALITY = 7;
/**
 * bzip2 block size (× 100 000 bytes) for diff streams. A delta's diff stream
 * changes character along the image (code, tables, data), and small blocks
 * follow it better: level 1 packs the corpus's diff streams 3–7 % smaller
 * than level 9, sorts faster, and decodes faster (a 400 KB inverse-transform
 * table stays in the CPU cache).
 */
const DIFF_BZIP2_LEVEL = 1;
/**
 * Which coder a diff stream gets, from the order-0 entropy (bits) of its
 * non-zero bytes: one counting pass instead of a trial compression (a trial
 * bzip2 run on a sample costs ~0.1 s in a fresh process, most of it the JIT
 * warming up — a fifth of the diff-time budget on a 2.5 MB image). Sparse
 * diffs of shifted native code repeat a few values (changed addresses move by
 * the same amounts: 4.9 bits on esbuild, 5.9 on libcrypto) and bzip2's block
 * sorting packs them 15–30 % below brotli; dense diffs of rebuilt code are
 * near-random (6.8 bits on rollup) and bzip2 ties with brotli there. Between
 * the two bounds both run and the smaller is kept. Calibrated on the
 * benchmark corpus (docs/delta-benchmark.md).
 */
const BZIP2_ONLY_MAX_ENTROPY_BITS = 6.3;
const BROTLI_ONLY_MIN_ENTROPY_BITS = 6.6;
/** Diff streams up to this size get both coders whatever their entropy: cheap, and entropy says little about a few KB. */
const TRY_BOTH_MAX_BYTES = 256 << 10;

/** Order-0 entropy in bits of the stream's non-zero bytes (0 when there are none). */
export function nonZeroEntropyBits(bytes: Uint8Array): number {
  // Integer counts: an increment is one cycle, not a floating-point add's four, and the stream is mostly one value.
  const counts = new Int32Array(256);
  for (let i = 0; i < bytes.length; i++) counts[bytes[i]!]!++;
  let total = 0;
  for (let b = 1; b < 256; b++) total += counts[b]!;
  let bits = 0;
  for (let b = 1; b < 256; b++) {
    const p = counts[b]! / total;
    if (p > 0) bits -= p * Math.log2(p);
  }
  return bits;
}

function brotli(bytes: Uint8Array, quality: number): Uint8Array {
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: quality,
      // A window no larger than the stream: same result, far less encoder memory for small streams.
      [constants.BROTLI_PARAM_LGWIN]: Math.min(FRAME_LOG2, Math.max(constants.BROTLI_MIN_WINDOW_BITS, Math.ceil(Math.log2(bytes.length + 1)))),
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}

function smallest(candidates: PackedStream[]): PackedStream {
  return candidates.reduce((best, c) => (c.packed.length < best.packed.length ? c : best));
}

/**
 * Picks each stream's coder within the diff-time budget. Control and extra
 * streams (varints, new code) go to brotli. The diff stream is mostly zeros
 * with sparse, context-dependent changes, where bzip2's block sorting often
 * beats brotli by a wide margin: its entropy says which of the two to run
 * (both when in doubt or small). Incompressible data is stored.
 */
export function packStream(bytes: Uint8Array, kind: StreamKind): PackedStream {
  return beginPackStream(bytes, kind).finish();
}

/** A stream being packed; finish() returns the packed stream. */
export interface PendingPack {
  finish(): PackedStream;
}

/**
 * packStream in two steps: a diff stream's bzip2 blocks go to the codec's
 * worker here (parallel-bzip2.ts), and finish() collects them, so the caller
 * can pack other streams (brotli, native code) in the meantime.
 */
export function beginPackStream(bytes: Uint8Array, kind: StreamKind): PendingPack {
  const stored = { codec: STREAM_STORED, packed: bytes };
  const done = (candidates: PackedStream[]): PendingPack => ({ finish: () => smallest(candidates) });
  if (bytes.length === 0) return done([stored]);
  const quality = bytes.length <= BEST_QUALITY_MAX_BYTES ? constants.BROTLI_MAX_QUALITY : BULK_QUALITY;
  const viaBrotli = (): PackedStream => ({ codec: STREAM_BROTLI, packed: brotli(bytes, quality) });
  if (kind !== 'diff') return done([stored, viaBrotli()]);
  const entropy = bytes.length <= TRY_BOTH_MAX_BYTES ? NaN : nonZeroEntropyBits(bytes);
  if (entropy >= BROTLI_ONLY_MIN_ENTROPY_BITS) return done([stored, viaBrotli()]);
  const bzip2 = beginBzip2(bytes, DIFF_BZIP2_LEVEL);
  // Brotli runs while the worker encodes bzip2 blocks; listed after bzip2 as ever (on equal sizes the first is kept).
  const brotliToo = entropy <= BZIP2_ONLY_MAX_ENTROPY_BITS ? [] : [viaBrotli()];
  return { finish: () => smallest([stored, { codec: STREAM_BZIP2, packed: bzip2.finish().packed }, ...brotliToo]) };
}

/** Decompresses one stream to exactly `rawBytes`, never allocating more. */
export function unpackStream(codec: number, packed: Uint8Array, rawBytes: number, what: string): Uint8Array {
  let raw: Uint8Array;
  if (codec === STREAM_STORED) {
    raw = packed;
  } else if (codec === STREAM_BROTLI) {
    if (rawBytes === 0) throw new ZucError(E.DELTA_STREAM_CORRUPT, `${what} stream is compressed but declares 0 bytes`);
    try {
      raw = brotliDecompressSync(packed, { maxOutputLength: rawBytes });
    } catch (err) {
      throw new ZucError(E.DELTA_STREAM_CORRUPT, `${what} stream does not decode: ${(err as Error).message}`, { cause: err });
    }
  } else if (codec === STREAM_BZIP2) {
    // The frame's CRC-32 has checked these bytes and the applier checks the result's SHA-256: bzip2's own CRCs add nothing.
    raw = bunzip2(packed, rawBytes, rawBytes, false);
  } else {
    throw new ZucError(E.DELTA_UNSUPPORTED_VERSION, `${what} stream uses unknown codec ${codec}`);
  }
  if (raw.length !== rawBytes) throw new ZucError(E.DELTA_STREAM_CORRUPT, `${what} stream decodes to ${raw.length} bytes, the frame says ${rawBytes}`);
  return raw;
}
