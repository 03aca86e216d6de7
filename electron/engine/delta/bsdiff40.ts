import { E, ZucError } from '../../shared/errors';
import { bunzip2 } from './bzip2-decode';
import { bzip2 } from './bzip2-encode';
import type { DeltaScript } from './delta-script';
import { MAX_IMAGE_BYTES } from './limits';
import type { ControlEntry, ControlSource, PatchSection } from './patch-runner';
import { startsWith } from './zdelta-header';

/** "BSDIFF40": Colin Percival's bsdiff 4 format, as written by Debian's bsdiff and read by bspatch. */
export const BSDIFF40_MAGIC = Uint8Array.from('BSDIFF40', (c) => c.charCodeAt(0));
const HEADER_BYTES = 32;
const ENTRY_BYTES = 24;
/** Largest magnitude a bsdiff integer may have here: beyond it no image of ours could be addressed. */
const MAX_OFFSET = 2 ** 40;

/** bsdiff integers: 8 bytes little-endian, magnitude in the low 63 bits, sign in the top bit. */
function readOfftin(bytes: Uint8Array, at: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, 8);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const magnitude = (hi & 0x7fffffff) * 2 ** 32 + lo;
  if (magnitude > MAX_OFFSET) throw new ZucError(E.DELTA_SIZE_ABSURD, `bsdiff integer ${magnitude} at offset ${at}`);
  return hi & 0x80000000 ? -magnitude : magnitude;
}

function writeOfftin(bytes: Uint8Array, at: number, value: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, 8);
  const magnitude = Math.abs(value);
  view.setUint32(0, magnitude % 2 ** 32, true);
  view.setUint32(4, Math.floor(magnitude / 2 ** 32) | (value < 0 ? 0x80000000 : 0), true);
}

export interface Bsdiff40Header {
  controlBytes: number;
  diffBytes: number;
  newSize: number;
}

export function decodeBsdiff40Header(patch: Uint8Array): Bsdiff40Header {
  if (!startsWith(patch, BSDIFF40_MAGIC)) throw new ZucError(E.DELTA_BAD_MAGIC, 'no BSDIFF40 magic');
  if (patch.length < HEADER_BYTES) throw new ZucError(E.DELTA_TRUNCATED, `BSDIFF40 header needs ${HEADER_BYTES} bytes, patch has ${patch.length}`);
  const controlBytes = readOfftin(patch, 8);
  const diffBytes = readOfftin(patch, 16);
  const newSize = readOfftin(patch, 24);
  if (controlBytes < 0 || diffBytes < 0 || newSize < 0) throw new ZucError(E.DELTA_HEADER_CORRUPT, 'negative length in the BSDIFF40 header');
  if (newSize > MAX_IMAGE_BYTES) throw new ZucError(E.DELTA_SIZE_ABSURD, `new image of ${newSize} bytes`);
  if (HEADER_BYTES + controlBytes + diffBytes > patch.length) {
    throw new ZucError(E.DELTA_TRUNCATED, `streams of ${controlBytes}+${diffBytes} bytes declared, ${patch.length - HEADER_BYTES} present`);
  }
  return { controlBytes, diffBytes, newSize };
}

/** bspatch's loop: entries until the output is complete; trailing control bytes are ignored as bspatch does. */
class OfftinControls implements ControlSource {
  private pos = 0;
  private produced = 0;
  constructor(private readonly bytes: Uint8Array, private readonly newSize: number) {}

  next(entry: ControlEntry): boolean {
    if (this.produced >= this.newSize) return false;
    if (this.bytes.length - this.pos < ENTRY_BYTES) return false;
    entry.add = readOfftin(this.bytes, this.pos);
    entry.copy = readOfftin(this.bytes, this.pos + 8);
    entry.seek = readOfftin(this.bytes, this.pos + 16);
    this.pos += ENTRY_BYTES;
    if (entry.add < 0 || entry.copy < 0) throw new ZucError(E.DELTA_STREAM_CORRUPT, 'negative length in a BSDIFF40 control entry');
    this.produced += entry.add + entry.copy;
    return true;
  }
}

/** The three bzip2 streams of a BSDIFF40 patch, decoded with caps derived from the declared new size. */
export function bsdiff40Streams(patch: Uint8Array): { header: Bsdiff40Header; control: Uint8Array; diff: Uint8Array; extra: Uint8Array } {
  const header = decodeBsdiff40Header(patch);
  const controlEnd = HEADER_BYTES + header.controlBytes;
  const diffEnd = controlEnd + header.diffBytes;
  const control = bunzip2(patch.subarray(HEADER_BYTES, controlEnd), ENTRY_BYTES * (header.newSize + 2));
  const diff = bunzip2(patch.subarray(controlEnd, diffEnd), header.newSize);
  const extra = bunzip2(patch.subarray(diffEnd), header.newSize);
  return { header, control, diff, extra };
}

export function bsdiff40Section(patch: Uint8Array): { newSize: number; section: PatchSection } {
  const { header, control, diff, extra } = bsdiff40Streams(patch);
  return { newSize: header.newSize, section: { controls: new OfftinControls(control, header.newSize), diff, extra, outputBytes: header.newSize } };
}

/** Reads a BSDIFF40 patch back into a delta script (entries as bspatch would execute them). */
export function bsdiff40Script(patch: Uint8Array): { newSize: number; script: DeltaScript } {
  const { header, control, diff, extra } = bsdiff40Streams(patch);
  const controls = new OfftinControls(control, header.newSize);
  const entry: ControlEntry = { add: 0, copy: 0, seek: 0 };
  const flat: number[] = [];
  while (controls.next(entry)) flat.push(entry.add, entry.copy, entry.seek);
  return { newSize: header.newSize, script: { control: flat, diff, extra } };
}

/** Writes a delta script as BSDIFF40 with bzip2 streams, byte for byte what bspatch expects. */
export function writeBsdiff40(script: DeltaScript, newSize: number): Uint8Array {
  const entries = script.control.length / 3;
  const control = new Uint8Array(entries * ENTRY_BYTES);
  for (let k = 0; k < script.control.length; k++) writeOfftin(control, k * 8, script.control[k]!);
  const packedControl = bzip2(control);
  const packedDiff = bzip2(script.diff);
  const packedExtra = bzip2(script.extra);
  const out = new Uint8Array(HEADER_BYTES + packedControl.length + packedDiff.length + packedExtra.length);
  out.set(BSDIFF40_MAGIC, 0);
  writeOfftin(out, 8, packedControl.length);
  writeOfftin(out, 16, packedDiff.length);
  writeOfftin(out, 24, newSize);
  out.set(packedControl, HEADER_BYTES);
  out.set(packedDiff, HEADER_BYTES + packedControl.length);
  out.set(packedExtra, HEADER_BYTES + packedControl.length + packedDiff.length);
  return out;
}
