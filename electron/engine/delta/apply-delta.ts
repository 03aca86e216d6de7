import { createHash } from 'node:crypto';
import { E, ZucError } from '../../shared/errors';
import { BSDIFF40_MAGIC, bsdiff40Section } from './bsdiff40';
import { sha256Hex } from './create-delta';
import { runPatch, type PatchSection } from './patch-runner';
import { decodeZdeltaHeader, startsWith, ZDELTA_MAGIC } from './zdelta-header';
import { checkZdeltaFrames, zdeltaSections } from './zdelta-frames';

/** A patch checked against the old image and ready to run. */
interface OpenedPatch {
  newSize: number;
  /** Empty for BSDIFF40, which carries no hashes. */
  newSha256: string;
  sections: Iterable<PatchSection>;
  bsdiff: boolean;
}

/**
 * Recognises the format by its magic and, for zdelta, checks the old
 * image's size and SHA-256 before anything else, then every frame's layout
 * and CRC, so nothing is allocated or emitted for a damaged patch.
 */
function openPatch(oldImage: Uint8Array, patch: Uint8Array): OpenedPatch {
  if (startsWith(patch, ZDELTA_MAGIC)) {
    const header = decodeZdeltaHeader(patch);
    if (oldImage.length !== header.oldSize) {
      throw new ZucError(E.DELTA_SOURCE_MISMATCH, `old image has ${oldImage.length} bytes, the delta was made from ${header.oldSize}`);
    }
    const actual = sha256Hex(oldImage);
    if (actual !== header.oldSha256) throw new ZucError(E.DELTA_SOURCE_MISMATCH, `old image SHA-256 ${actual}, the delta expects ${header.oldSha256}`);
    checkZdeltaFrames(patch, header);
    return { newSize: header.newSize, newSha256: header.newSha256, sections: zdeltaSections(patch, header), bsdiff: false };
  }
  if (startsWith(patch, BSDIFF40_MAGIC)) {
    const { newSize, section } = bsdiff40Section(patch);
    return { newSize, newSha256: '', sections: [section], bsdiff: true };
  }
  throw new ZucError(E.DELTA_BAD_MAGIC, patch.length < 8 ? `only ${patch.length} bytes` : `starts with ${Buffer.from(patch.subarray(0, 8)).toString('hex')}`);
}

function checkTarget(expected: string, actual: string): void {
  if (expected && actual !== expected) throw new ZucError(E.DELTA_TARGET_MISMATCH, `result SHA-256 ${actual}, the delta promises ${expected}`);
}

/**
 * Applies a zdelta or BSDIFF40 patch (told apart by the magic) and returns
 * the new image. zdelta: verifies the old image's size and SHA-256 first
 * (DELTA_SOURCE_MISMATCH) and the result's SHA-256 at the end
 * (DELTA_TARGET_MISMATCH). BSDIFF40 carries no hashes; it is applied with
 * bspatch's semantics.
 */
export function applyDelta(oldImage: Uint8Array, patch: Uint8Array): Uint8Array {
  const opened = openPatch(oldImage, patch);
  const output = new Uint8Array(opened.newSize);
  for (const chunk of runPatch(oldImage, opened.sections, opened.newSize, { output, oldOutsideIsZero: opened.bsdiff })) void chunk;
  if (opened.newSha256) checkTarget(opened.newSha256, sha256Hex(output));
  return output;
}

/**
 * Like applyDelta, but hands the output to `sink` in chunks of at most 256 KiB
 * as it is produced, holding only the old image, one frame's decoded streams
 * (≤ 8 MiB) and one chunk. The sink may keep each chunk. The target hash is
 * checked after the last chunk: when it fails (DELTA_TARGET_MISMATCH) the
 * caller must discard what the sink received. BSDIFF40 patches are decoded
 * whole first (they have one frame), so they stream without that bound.
 */
export async function applyDeltaStream(oldImage: Uint8Array, patch: Uint8Array, sink: (chunk: Uint8Array) => void | Promise<void>): Promise<void> {
  const opened = openPatch(oldImage, patch);
  const hash = createHash('sha256');
  for (const chunk of runPatch(oldImage, opened.sections, opened.newSize, { oldOutsideIsZero: opened.bsdiff })) {
    hash.update(chunk);
    await sink(chunk);
  }
  checkTarget(opened.newSha256, hash.digest('hex'));
}
