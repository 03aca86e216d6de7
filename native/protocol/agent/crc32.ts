import * as zlib from 'node:zlib';

/** IEEE 802.3 / zlib CRC-32 (reflected, polynomial 0xEDB88320). */
const TABLE = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** Portable CRC-32; `crc` continues a previous result over split data. */
export function tableCrc32(bytes: Uint8Array, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// zlib.crc32 (Node >= 20.15) is several times faster; every written byte passes two CRCs each side.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** CRC-32 of `bytes`; pass a previous result as `crc` to continue over split data. */
export const crc32: (bytes: Uint8Array, crc?: number) => number = nativeCrc32 ? (bytes, crc = 0) => nativeCrc32(bytes, crc) >>> 0 : tableCrc32;
