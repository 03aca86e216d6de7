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

/** Brotli's best quality is slow (about 1 MB/s); above this size the scan-level quality 9 is used. */
const BEST_QUALITY_MAX_BYTES = 1 << 20;
/** Diff streams up to this size get brotli's best quality when brotli beats bzip2 on them. */
const DENSE_DIFF_MAX_BYTES = 4 << 20;
/** Brotli quality of the quick estimate that decides whether the full-quality brotli attempt on a diff stream can win at all. */
const ESTIMATE_QUALITY = 5;
/**
 * Quality 9 packs a diff stream to no less than ~0.9× of quality 5 on the
 * corpus (esbuild 0.90, libcrypto 0.94, rollup 0.97), quality 11 to ~0.87×;
 * when bzip2 is below these shares of the quality-5 size, brotli cannot catch
 * up and its slow pass is skipped (sparse diffs of native code, where bzip2
 * wins by 10–30 %).
 */
const BZIP2_CLEAR_WIN_Q9 = 0.88;
const BZIP2_CLEAR_WIN_Q11 = 0.8;

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
 * Control and extra streams (varints, new code) go to brotli. The diff
 * stream is mostly zeros with sparse, context-dependent changes, where
 * bzip2's block sorting often beats brotli: both are tried (brotli's slow
 * pass only when a quick one says it can win) and the smaller kept.
 * Incompressible data is stored.
 */
export function packStream(bytes: Uint8Array, kind: StreamKind): PackedStream {
  const stored = { codec: STREAM_STORED, packed: bytes };
  if (bytes.length === 0) return stored;
  const quality = bytes.length <= BEST_QUALITY_MAX_BYTES ? constants.BROTLI_MAX_QUALITY : 9;
  if (kind !== 'diff') return smallest([stored, { codec: STREAM_BROTLI, packed: brotli(bytes, quality) }]);
  const viaBzip2: PackedStream = { codec: STREAM_BZIP2, packed: bzip2(bytes) };
  const estimate: PackedStream = { codec: STREAM_BROTLI, packed: brotli(bytes, ESTIMATE_QUALITY) };
  const clearWin = quality === constants.BROTLI_MAX_QUALITY ? BZIP2_CLEAR_WIN_Q11 : BZIP2_CLEAR_WIN_Q9;
  if (viaBzip2.packed.length < clearWin * estimate.packed.length) return smallest([stored, viaBzip2]);
  const best = smallest([stored, estimate, viaBzip2, { codec: STREAM_BROTLI, packed: brotli(bytes, quality) }]);
  // A dense diff (many changed bytes, as in rebuilt code) is where brotli wins, and its best quality
  // gains another tenth there: worth a few seconds for a patch shipped to every terminal.
  if (best.codec === STREAM_BROTLI && quality !== constants.BROTLI_MAX_QUALITY && bytes.length <= DENSE_DIFF_MAX_BYTES) {
    return smallest([best, { codec: STREAM_BROTLI, packed: brotli(bytes, constants.BROTLI_MAX_QUALITY) }]);
  }
  return best;
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
    raw = bunzip2(packed, rawBytes);
  } else {
    throw new ZucError(E.DELTA_UNSUPPORTED_VERSION, `${what} stream uses unknown codec ${codec}`);
  }
  if (raw.length !== rawBytes) throw new ZucError(E.DELTA_STREAM_CORRUPT, `${what} stream decodes to ${raw.length} bytes, the frame says ${rawBytes}`);
  return raw;
}
