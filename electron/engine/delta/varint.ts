import { E, ZucError } from '../../shared/errors';

/** Growable little buffer for LEB128 varints (control streams are small: one entry per match). */
export class VarintWriter {
  private bytes = new Uint8Array(256);
  length = 0;

  /** Unsigned value below 2^35, 7 bits per byte, least significant first. */
  writeUnsigned(value: number): void {
    if (this.length + 5 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    let v = value;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.length++] = v;
  }

  /** Signed value, zigzag-mapped so small negative seeks stay short. */
  writeSigned(value: number): void {
    this.writeUnsigned(value < 0 ? -value * 2 - 1 : value * 2);
  }

  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** Reads varints from a decoded control stream; every overrun is a corrupt patch. */
export class VarintReader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  readUnsigned(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.bytes.length) throw new ZucError(E.DELTA_STREAM_CORRUPT, 'control stream ends inside an entry');
      const b = this.bytes[this.pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
    throw new ZucError(E.DELTA_STREAM_CORRUPT, 'control value longer than 5 bytes');
  }

  readSigned(): number {
    const z = this.readUnsigned();
    return z % 2 === 1 ? -(z + 1) / 2 : z / 2;
  }
}
