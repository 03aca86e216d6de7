import { applyDelta } from './apply-delta';
import { bsdiff40Script, writeBsdiff40 } from './bsdiff40';
import { createDelta, writeZdelta } from './create-delta';
import type { ControlEntry } from './patch-runner';
import { decodeZdeltaHeader } from './zdelta-header';
import { zdeltaSections } from './zdelta-frames';

/**
 * Converts a zdelta patch to standard BSDIFF40 (bzip2 streams) that Debian's
 * `bspatch OLD NEW PATCH` applies byte for byte. Needs no image: the control
 * entries and streams carry over unchanged (entries cut at frame boundaries
 * stay cut, which bspatch does not mind). The hashes are lost, as BSDIFF40
 * has no place for them.
 */
export function exportBsdiff40(zdeltaPatch: Uint8Array): Uint8Array {
  const header = decodeZdeltaHeader(zdeltaPatch);
  const control: number[] = [];
  const diff = new Uint8Array(header.newSize);
  const extra = new Uint8Array(header.newSize);
  let diffLength = 0;
  let extraLength = 0;
  const entry: ControlEntry = { add: 0, copy: 0, seek: 0 };
  for (const section of zdeltaSections(zdeltaPatch, header)) {
    while (section.controls.next(entry)) control.push(entry.add, entry.copy, entry.seek);
    diff.set(section.diff, diffLength);
    diffLength += section.diff.length;
    extra.set(section.extra, extraLength);
    extraLength += section.extra.length;
  }
  return writeBsdiff40({ control, diff: diff.subarray(0, diffLength), extra: extra.subarray(0, extraLength) }, header.newSize);
}

/**
 * Converts a BSDIFF40 patch (e.g. from Debian's `bsdiff`) into a zdelta patch
 * for `oldImage`: applies it once to learn the new image's hash, then keeps
 * its control entries and streams. A patch that reads outside the old image
 * (legal for bspatch, refused by zdelta) is diffed afresh instead.
 */
export function importBsdiff40(bsdiffPatch: Uint8Array, oldImage: Uint8Array): Uint8Array {
  const newImage = applyDelta(oldImage, bsdiffPatch);
  const { script } = bsdiff40Script(bsdiffPatch);
  let oldPos = 0;
  for (let k = 0; k < script.control.length; k += 3) {
    const add = script.control[k]!;
    if (add > 0 && (oldPos < 0 || oldPos + add > oldImage.length)) return createDelta(oldImage, newImage);
    oldPos += add + script.control[k + 2]!;
  }
  return writeZdelta(script, oldImage, newImage);
}
