import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { E, ZucError } from '../../shared/errors';
import { scanDelta } from './delta-scan';
import type { DeltaScript } from './delta-script';
import { releaseCodecWorker, startCodecWorker } from './delta-worker-client';
import { createHashMatcher } from './hash-match';
import { DEFAULT_MATCHER, isMatcherName, MATCHER_NAMES, type MatcherName } from './match';
import { FRAME_BYTES, FRAME_LOG2, MAX_IMAGE_BYTES } from './limits';
import { VarintWriter } from './varint';
import { beginPackStream, type PackedStream } from './stream-codec';
import { encodeZdeltaHeader, FRAME_HEADER_BYTES, FRAME_STREAM_ENTRY_BYTES, FRAME_TABLE_BYTES, frameCountFor } from './zdelta-header';

export interface CreateDeltaOptions {
  /** Called with the share of the work done, 0 to 1, a few times per megabyte. */
  onProgress?(fraction: number): void;
  /**
   * How matches are found in the old image (match.ts): 'suffix-array'
   * (default, the longest match at every position) or 'hash' (faster: up to
   * ~2× on 10 MB images; patches within ~0.5 %). Same zdelta format either way.
   */
  matcher?: MatcherName;
}

/**
 * A new image this large makes a diff stream worth a second thread's bzip2
 * blocks (parallel-bzip2.ts). Below it a worker would mostly cost memory (a
 * second JavaScript heap): rollup's 2.5 MB diff stream is near-random and
 * goes to brotli, ovmf-code's changes are mostly extra bytes.
 */
const WORKER_AHEAD_MIN_BYTES = 4 << 20;

/** Share of the total time the match scan (with its index) takes, for progress reporting; compression takes the rest. */
const SCAN_SHARE = 0.5;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function checkSize(image: Uint8Array, what: string): void {
  if (image.length > MAX_IMAGE_BYTES) throw new ZucError(E.DELTA_IMAGE_TOO_LARGE, `${what} image has ${image.length} bytes`);
}

/**
 * Our own patch format ("zdelta", docs/delta-format.md): header with magic,
 * version, old size + SHA-256, new size + SHA-256, then per 8 MiB frame of
 * output the brotli-compressed control, diff and extra streams.
 */
export function createDelta(oldImage: Uint8Array, newImage: Uint8Array, options: CreateDeltaOptions = {}): Uint8Array {
  checkSize(oldImage, 'old');
  checkSize(newImage, 'new');
  const report = options.onProgress;
  report?.(0);
  const matcher = options.matcher ?? DEFAULT_MATCHER;
  if (!isMatcherName(matcher)) throw new ZucError(E.BAD_ARGUMENTS, `unknown delta matcher '${String(matcher)}' (one of ${MATCHER_NAMES.join(', ')})`);
  // The worker that will take the bzip2 blocks of a large diff stream starts and warms up while this thread scans.
  if (newImage.length >= WORKER_AHEAD_MIN_BYTES) startCodecWorker();
  try {
    const scanProgress = report && ((f: number) => report(SCAN_SHARE * f));
    const script = scanDelta(oldImage, newImage, matcher === 'hash' ? createHashMatcher(oldImage) : matcher, scanProgress);
    report?.(SCAN_SHARE);
    const patch = writeZdelta(script, oldImage, newImage, report && ((f) => report(SCAN_SHARE + (1 - SCAN_SHARE) * f)));
    report?.(1);
    return patch;
  } finally {
    releaseCodecWorker();
  }
}

/** Packs a delta script between the old and new image into a zdelta patch. */
export function writeZdelta(script: DeltaScript, oldImage: Uint8Array, newImage: Uint8Array, onProgress?: (fraction: number) => void): Uint8Array {
  // Every frame's diff stream goes to the codec's worker first; hashing the images and brotli's streams, native code
  // with no JIT to warm, then run in this thread while the worker encodes bzip2 blocks.
  const pending = beginFrames(script, newImage.length);
  const header = encodeZdeltaHeader({
    frameLog2: FRAME_LOG2,
    oldSize: oldImage.length,
    oldSha256: sha256Hex(oldImage),
    newSize: newImage.length,
    newSha256: sha256Hex(newImage),
    frameCount: frameCountFor(newImage.length, FRAME_LOG2),
  });
  const frames = pending.map((frame, i) => {
    const packed = frame();
    onProgress?.(Math.min(1, ((i + 1) * FRAME_BYTES) / newImage.length));
    return packed;
  });
  const out = new Uint8Array(header.length + frames.reduce((sum, f) => sum + f.length, 0));
  out.set(header, 0);
  let offset = header.length;
  for (const f of frames) {
    out.set(f, offset);
    offset += f.length;
  }
  return out;
}

/** The raw control, diff and extra streams of one frame. */
type FrameStreams = [Uint8Array, Uint8Array, Uint8Array];

/** Cuts the script at every FRAME_BYTES of output, splitting entries that straddle a boundary. */
function cutFrames(script: DeltaScript, newSize: number): FrameStreams[] {
  const frames: FrameStreams[] = [];
  const { control, diff, extra } = script;
  let k = 0;
  let add = control[0] ?? 0;
  let copy = control[1] ?? 0;
  let diffPos = 0;
  let extraPos = 0;
  for (let frameStart = 0; frameStart < newSize; frameStart += FRAME_BYTES) {
    const frameBytes = Math.min(FRAME_BYTES, newSize - frameStart);
    const ctrl = new VarintWriter();
    const diffStart = diffPos;
    const extraStart = extraPos;
    let room = frameBytes;
    while (room > 0) {
      if (k >= control.length) throw new ZucError(E.INTERNAL, `delta script covers ${frameStart + frameBytes - room} of ${newSize} bytes`);
      const takeAdd = Math.min(add, room);
      const takeCopy = Math.min(copy, room - takeAdd);
      add -= takeAdd;
      copy -= takeCopy;
      room -= takeAdd + takeCopy;
      diffPos += takeAdd;
      extraPos += takeCopy;
      const finished = add === 0 && copy === 0;
      ctrl.writeUnsigned(takeAdd);
      ctrl.writeUnsigned(takeCopy);
      ctrl.writeSigned(finished ? control[k + 2]! : 0);
      if (finished) {
        k += 3;
        add = control[k] ?? 0;
        copy = control[k + 1] ?? 0;
      }
    }
    frames.push([ctrl.result(), diff.subarray(diffStart, diffPos), extra.subarray(extraStart, extraPos)]);
  }
  return frames;
}

/** Starts packing every frame (diff streams first, see writeZdelta); each returned function finishes one frame. */
function beginFrames(script: DeltaScript, newSize: number): Array<() => Uint8Array> {
  const frames = cutFrames(script, newSize);
  const diffs = frames.map((streams) => beginPackStream(streams[1], 'diff'));
  return frames.map((streams, f) => {
    const control = beginPackStream(streams[0], 'control');
    const extra = beginPackStream(streams[2], 'extra');
    return () => frameBytes(streams, [control.finish(), diffs[f]!.finish(), extra.finish()]);
  });
}

/** One frame: its stream table, CRC and packed streams. */
function frameBytes(streams: FrameStreams, packed: PackedStream[]): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + packed.reduce((sum, p) => sum + p.packed.length, 0));
  const view = new DataView(frame.buffer);
  packed.forEach((p, i) => {
    frame[i * FRAME_STREAM_ENTRY_BYTES] = p.codec;
    view.setUint32(i * FRAME_STREAM_ENTRY_BYTES + 1, streams[i]!.length, true);
    view.setUint32(i * FRAME_STREAM_ENTRY_BYTES + 5, p.packed.length, true);
  });
  let offset = FRAME_HEADER_BYTES;
  for (const p of packed) {
    frame.set(p.packed, offset);
    offset += p.packed.length;
  }
  view.setUint32(FRAME_TABLE_BYTES, crc32(frame.subarray(FRAME_HEADER_BYTES), crc32(frame.subarray(0, FRAME_TABLE_BYTES))), true);
  return frame;
}
