import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib';

/** Quality 9 compresses firmware within a few percent of 11 at a fraction of the time. */
const BROTLI_QUALITY = 9;
/** 16 MiB window (log2), Brotli's largest standard window: firmware repeats itself at long distances. */
const BROTLI_WINDOW_LOG2 = 24;

export function brotliCompress(image: Uint8Array): Uint8Array {
  return new Uint8Array(
    brotliCompressSync(image, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlibConstants.BROTLI_PARAM_LGWIN]: BROTLI_WINDOW_LOG2,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: image.length,
      },
    }),
  );
}

/** Decodes at most `maxBytes`: a payload that would inflate past its signed size fails instead of filling memory. */
export function brotliDecompress(payload: Uint8Array, maxBytes: number): Uint8Array {
  return new Uint8Array(brotliDecompressSync(payload, { maxOutputLength: maxBytes }));
}
