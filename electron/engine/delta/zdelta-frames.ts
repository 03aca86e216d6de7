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

interface FrameStream {
  codec: number;
  raw: number;
  packed: Uint8Array;
}

interface FrameLayout {
  streams: [FrameStream, FrameStream, FrameStream];
  outputBytes: number;
  /** Offset of the next frame. */
  end: number;
}

/** Reads and checks one frame's table, lengths and CRC-32 at `offset`, without decompressing anything. */
function readFrame(patch: Uint8Array, header: ZdeltaHeader, f: number, offset: number): FrameLayout {
  const frameBytes = 2 ** header.frameLog2;
  if (patch.length - offset < FRAME_HEADER_BYTES) throw new ZucError(E.DELTA_TRUNCATED, `frame ${f} header missing at offset ${offset}`);
  const view = new DataView(patch.buffer, patch.byteOffset + offset, FRAME_HEADER_BYTES);
  const outputBytes = Math.min(frameBytes, header.newSize - f * frameBytes);
  let at = offset + FRAME_HEADER_BYTES;
  const streams = [0, 1, 2].map((i) => {
    const raw = view.getUint32(i * FRAME_STREAM_ENTRY_BYTES + 1, true);
    const length = view.getUint32(i * FRAME_STREAM_ENTRY_BYTES + 5, true);
    if (patch.length - at < length) throw new ZucError(E.DELTA_TRUNCATED, `frame ${f} stream ${i} needs ${length} bytes at offset ${at}, patch has ${patch.length - at}`);
    const stream = { codec: patch[offset + i * FRAME_STREAM_ENTRY_BYTES]!, raw, packed: patch.subarray(at, at + length) };
    at += length;
    return stream;
  }) as [FrameStream, FrameStream, FrameStream];
  const [control, diff, extra] = streams;
  if (diff.raw + extra.raw !== outputBytes) {
    throw new ZucError(E.DELTA_SIZE_ABSURD, `frame ${f} declares ${diff.raw}+${extra.raw} stream bytes for ${outputBytes} output bytes`);
  }
  if (control.raw > MAX_CONTROL_ENTRY_BYTES * (outputBytes + 1)) throw new ZucError(E.DELTA_SIZE_ABSURD, `frame ${f} control stream of ${control.raw} bytes`);
  const crc = crc32(patch.subarray(offset + FRAME_HEADER_BYTES, at), crc32(patch.subarray(offset, offset + FRAME_TABLE_BYTES)));
  if (crc !== view.getUint32(FRAME_TABLE_BYTES, true)) throw new ZucError(E.DELTA_STREAM_CORRUPT, `frame ${f} checksum mismatch`);
  return { streams, outputBytes, end: at };
}

/**
 * Checks the layout and CRC-32 of every frame (a fast pass, nothing is
 * decompressed), so a damaged or truncated patch is refused before the
 * applier allocates its output or hands a single byte to a sink.
 */
export function checkZdeltaFrames(patch: Uint8Array, header: ZdeltaHeader): void {
  let offset = ZDELTA_HEADER_BYTES;
  for (let f = 0; f < header.frameCount; f++) offset = readFrame(patch, header, f, offset).end;
  if (offset !== patch.length) throw new ZucError(E.DELTA_STREAM_CORRUPT, `${patch.length - offset} unexpected bytes after the last frame`);
}

/**
 * The frames of a zdelta patch as sections, decoded lazily one at a time so
 * an applier holds at most one frame's streams.
 */
export function* zdeltaSections(patch: Uint8Array, header: ZdeltaHeader): Generator<PatchSection> {
  let offset = ZDELTA_HEADER_BYTES;
  for (let f = 0; f < header.frameCount; f++) {
    const { streams, outputBytes, end } = readFrame(patch, header, f, offset);
    const [control, diff, extra] = streams.map((s, i) => unpackStream(s.codec, s.packed, s.raw, ['control', 'diff', 'extra'][i]!)) as [
      Uint8Array, Uint8Array, Uint8Array,
    ];
    yield { controls: new VarintControls(control), diff, extra, outputBytes };
    offset = end;
  }
  if (offset !== patch.length) throw new ZucError(E.DELTA_STREAM_CORRUPT, `${patch.length - offset} unexpected bytes after the last frame`);
}
