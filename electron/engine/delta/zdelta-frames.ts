import { crc32 } from 'node:zlib';
import { E, ZucError } from '../../shared/errors';
import { MAX_CONTROL_ENTRY_BYTES } from './limits';
import type { ControlEntry, ControlSource, PatchSection } from './patch-runner';
import { VarintReader } from './varint';
import { unpackStream } from './stream-codec';
import { FRAME_HEADER_BYTES, FRAME_STREAM_ENTRY_BYTES, FRAME_TABLE_BYTES, ZDELTA_HEADER_BYTES, type ZdeltaHeader } from './zdelta-header';

class VarintControls implements ControlSource {
  private readonly reader: VarintReader;
  constructor(bytes: Uint8Array) {
    this.reader = new VarintReader(bytes);
  }

  next(entry: ControlEntry): boolean {
    if (this.reader.done) return false;
    entry.add = this.reader.readUnsigned();
    entry.copy = this.reader.readUnsigned();
    entry.seek = this.reader.readSigned();
    return true;
  }
}

/**
 * The frames of a zdelta patch as sections, decoded lazily one at a time so
 * an applier holds at most one frame's streams. Checks every declared length
 * against the frame size and the bytes present before decompressing.
 */
export function* zdeltaSections(patch: Uint8Array, header: ZdeltaHeader): Generator<PatchSection> {
  const frameBytes = 2 ** header.frameLog2;
  let offset = ZDELTA_HEADER_BYTES;
  for (let f = 0; f < header.frameCount; f++) {
    if (patch.length - offset < FRAME_HEADER_BYTES) throw new ZucError(E.DELTA_TRUNCATED, `frame ${f} header missing at offset ${offset}`);
    const view = new DataView(patch.buffer, patch.byteOffset + offset, FRAME_HEADER_BYTES);
    const codec = (i: number): number => patch[offset + i * FRAME_STREAM_ENTRY_BYTES]!;
    const raw = (i: number): number => view.getUint32(i * FRAME_STREAM_ENTRY_BYTES + 1, true);
    const packed = (i: number): number => view.getUint32(i * FRAME_STREAM_ENTRY_BYTES + 5, true);
    const [ctrlRaw, diffRaw, extraRaw] = [raw(0), raw(1), raw(2)];
    const [ctrlPacked, diffPacked, extraPacked] = [packed(0), packed(1), packed(2)];
    const [ctrlCodec, diffCodec, extraCodec] = [codec(0), codec(1), codec(2)];
    const outputBytes = Math.min(frameBytes, header.newSize - f * frameBytes);
    if (diffRaw + extraRaw !== outputBytes) {
      throw new ZucError(E.DELTA_SIZE_ABSURD, `frame ${f} declares ${diffRaw}+${extraRaw} stream bytes for ${outputBytes} output bytes`);
    }
    if (ctrlRaw > MAX_CONTROL_ENTRY_BYTES * (outputBytes + 1)) throw new ZucError(E.DELTA_SIZE_ABSURD, `frame ${f} control stream of ${ctrlRaw} bytes`);
    const table = patch.subarray(offset, offset + FRAME_TABLE_BYTES);
    const expectedCrc = view.getUint32(FRAME_TABLE_BYTES, true);
    offset += FRAME_HEADER_BYTES;
    const packedTotal = ctrlPacked + diffPacked + extraPacked;
    if (patch.length - offset < packedTotal) {
      throw new ZucError(E.DELTA_TRUNCATED, `frame ${f} needs ${packedTotal} bytes at offset ${offset}, patch has ${patch.length - offset}`);
    }
    if (crc32(patch.subarray(offset, offset + packedTotal), crc32(table)) !== expectedCrc) {
      throw new ZucError(E.DELTA_STREAM_CORRUPT, `frame ${f} checksum mismatch`);
    }
    const ctrl = unpackStream(ctrlCodec, patch.subarray(offset, offset + ctrlPacked), ctrlRaw, 'control');
    offset += ctrlPacked;
    const diff = unpackStream(diffCodec, patch.subarray(offset, offset + diffPacked), diffRaw, 'diff');
    offset += diffPacked;
    const extra = unpackStream(extraCodec, patch.subarray(offset, offset + extraPacked), extraRaw, 'extra');
    offset += extraPacked;
    yield { controls: new VarintControls(ctrl), diff, extra, outputBytes };
  }
  if (offset !== patch.length) throw new ZucError(E.DELTA_STREAM_CORRUPT, `${patch.length - offset} unexpected bytes after the last frame`);
}
