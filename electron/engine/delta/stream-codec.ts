import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { E, ZucError } from '../../shared/errors';
import { bunzip2 } from './bzip2-decode';
import { bzip2 } from './bzip2-encode';
import { FRAME_LOG2 } from './limits';

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
/** Diff streams above this size are judged on a sample from their middle before bzip2 (≈ 70 ns per byte) runs on all of it. */
const SAMPLE_BYTES = 200_000;
/**
 * bzip2 is tried on the whole diff stream only when it packs the sample
 * below this share of brotli's size. On sparse diffs of native code it wins
 * by 15–30 % (sample ratios 0.80–0.84 on the corpus); on dense diffs of
 * rebuilt code it ties (0.96 on the sample, 1.00 on the whole), not worth
 * its time and its slower decoding. Brotli on a sample lacks the context it
 * has on the whole stream, so sample ratios read low: the margin is wide.
 */
const BZIP2_SAMPLE_WIN = 0.9;

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

/** Whether bzip2 beats brotli clearly on a sample from the middle of the stream. */
function bzip2Promising(bytes: Uint8Array): boolean {
  const from = (bytes.length - SAMPLE_BYTES) >> 1;
  const sample = bytes.subarray(from, from + SAMPLE_BYTES);
  return bzip2(sample, DIFF_BZIP2_LEVEL).length < BZIP2_SAMPLE_WIN * brotli(sample, BULK_QUALITY).length;
}

/**
 * Picks each stream's coder by its measured size, within the diff-time
 * budget. Control and extra streams (varints, new code) go to brotli. The
 * diff stream is mostly zeros with sparse, context-dependent changes, where
 * bzip2's block sorting often beats brotli by a wide margin: a sample says
 * whether bzip2 can win, and then only bzip2 runs on the whole stream (the
 * sample already showed brotli's quick qualities cannot catch up), else only
 * brotli. Incompressible data is stored.
 */
export function packStream(bytes: Uint8Array, kind: StreamKind): PackedStream {
  const stored = { codec: STREAM_STORED, packed: bytes };
  if (bytes.length === 0) return stored;
  const quality = bytes.length <= BEST_QUALITY_MAX_BYTES ? constants.BROTLI_MAX_QUALITY : BULK_QUALITY;
  if (kind !== 'diff') return smallest([stored, { codec: STREAM_BROTLI, packed: brotli(bytes, quality) }]);
  if (bytes.length <= 2 * SAMPLE_BYTES) {
    return smallest([stored, { codec: STREAM_BZIP2, packed: bzip2(bytes, DIFF_BZIP2_LEVEL) }, { codec: STREAM_BROTLI, packed: brotli(bytes, quality) }]);
  }
  return smallest([
    stored,
    bzip2Promising(bytes) ? { codec: STREAM_BZIP2, packed: bzip2(bytes, DIFF_BZIP2_LEVEL) } : { codec: STREAM_BROTLI, packed: brotli(bytes, quality) },
  ]);
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
    raw = bunzip2(packed, rawBytes, rawBytes);
  } else {
    throw new ZucError(E.DELTA_UNSUPPORTED_VERSION, `${what} stream uses unknown codec ${codec}`);
  }
  if (raw.length !== rawBytes) throw new ZucError(E.DELTA_STREAM_CORRUPT, `${what} stream decodes to ${raw.length} bytes, the frame says ${rawBytes}`);
  return raw;
}
