import { E, ZucError } from '../../../electron/shared/errors';

/** Builds a little-endian payload field by field. */
export class PayloadWriter {
  private parts: Uint8Array[] = [];
  private size = 0;

  u8(value: number): this {
    return this.push(Uint8Array.of(value & 0xff));
  }

  u16(value: number): this {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, value, true);
    return this.push(b);
  }

  u32(value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value >>> 0, true);
    return this.push(b);
  }

  bytes(value: Uint8Array): this {
    return this.push(value);
  }

  /** u8 length + UTF-8; longer strings are cut at 255 bytes. */
  str8(value: string): this {
    const b = new TextEncoder().encode(value).subarray(0, 0xff);
    return this.u8(b.length).push(b);
  }

  /** u16 length + UTF-8; longer strings are cut at 65535 bytes. */
  str16(value: string): this {
    const b = new TextEncoder().encode(value).subarray(0, 0xffff);
    return this.u16(b.length).push(b);
  }

  get length(): number {
    return this.size;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  private push(b: Uint8Array): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }
}

/** Reads a payload field by field; any overrun or leftover is FRAME_MALFORMED. */
export class PayloadReader {
  private at = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.at++);
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.at, true);
    this.at += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }

  take(n: number): Uint8Array {
    this.need(n);
    const v = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }

  rest(): Uint8Array {
    return this.take(this.bytes.length - this.at);
  }

  str8(maxBytes = 0xff): string {
    return this.text(this.u8(), maxBytes);
  }

  str16(maxBytes = 0xffff): string {
    return this.text(this.u16(), maxBytes);
  }

  /** Asserts the payload had nothing more. */
  end(): void {
    if (this.at !== this.bytes.length) this.fail(`${this.bytes.length - this.at} unexpected trailing bytes`);
  }

  fail(why: string): never {
    throw new ZucError(E.FRAME_MALFORMED, `${this.what}: ${why}`);
  }

  private text(length: number, maxBytes: number): string {
    if (length > maxBytes) this.fail(`string of ${length} bytes exceeds ${maxBytes}`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(this.take(length));
    } catch (err) {
      if (err instanceof ZucError) throw err;
      this.fail('string is not UTF-8');
    }
  }

  private need(n: number): void {
    if (this.at + n > this.bytes.length) this.fail(`payload ends after ${this.bytes.length} bytes, needed ${this.at + n}`);
  }
}
