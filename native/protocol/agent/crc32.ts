import * as zlib from 'node:zlib';

/** IEEE 802.3 / zlib CRC-32 (reflected, polynomial 0xEDB88320). */
const POLYNOMIAL = 0xedb88320;
/** Tables for slicing-by-8: TABLES[k][b] is the CRC of byte b followed by k zero bytes. */
const TABLES = buildTables();
const T0 = TABLES.subarray(0, 256);

function buildTables(): Uint32Array {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) t[k * 256 + n] = (t[(k - 1) * 256 + n]! >>> 8) ^ t[t[(k - 1) * 256 + n]! & 0xff]!;
  }
  return t;
}

/**
 * Portable CRC-32, slicing-by-8 (eight table look-ups per 8 bytes instead of
 * one per byte: about 4× the byte-wise loop); `crc` continues a previous
 * result over split data.
 */
export function tableCrc32(bytes: Uint8Array, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  const n = bytes.length;
  let i = 0;
  const t = TABLES;
  for (const end = n - (n & 7); i < end; i += 8) {
    const lo = (c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24))) >>> 0;
    c =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + bytes[i + 4]!]! ^
      t[512 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < n; i++) c = T0[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// zlib.crc32 (Node >= 20.15) runs at several GB/s; a call into it costs more than a short input takes in JS.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
/** Below this many bytes the table loop beats the call into zlib (frame headers, acks). */
const NATIVE_CRC_MIN_BYTES = 64;

/** CRC-32 of `bytes`; pass a previous result as `crc` to continue over split data. */
export const crc32: (bytes: Uint8Array, crc?: number) => number = nativeCrc32
  ? (bytes, crc = 0) => (bytes.length < NATIVE_CRC_MIN_BYTES ? tableCrc32(bytes, crc) : nativeCrc32(bytes, crc) >>> 0)
  : tableCrc32;

/** a × b modulo the CRC polynomial, both as reflected 32-bit polynomials (x^0 is bit 31). */
function multiplyModPoly(a: number, b: number): number {
  let product = 0;
  for (let m = 0x80000000; a !== 0 && m !== 0; m >>>= 1) {
    if (a & m) {
      product ^= b;
      a = (a & ~m) >>> 0;
    }
    b = b & 1 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
  }
  return product >>> 0;
}

/** X_POW_2K[k] = x^(2^k) mod P: the powers a shift by any length is built from. */
const X_POW_2K = (() => {
  const powers = new Uint32Array(32);
  let p = 0x40000000; // x^1
  for (let k = 0; k < 32; k++) {
    powers[k] = p;
    p = multiplyModPoly(p, p);
  }
  return powers;
})();

/** Operators of recent lengths: chunks (and their payloads, 8 bytes longer) mostly share a few. */
const operatorCache = new Map<number, number>();
const OPERATOR_CACHE_ENTRIES = 8;

/** x^(8 × bytes) mod P: multiplying a CRC by it appends `bytes` zero bytes. */
function zeroBytesOperator(bytes: number): number {
  const cached = operatorCache.get(bytes);
  if (cached !== undefined) return cached;
  let p = 0x80000000; // x^0
  let k = 3; // 8 = 2^3 bits per byte
  for (let n = bytes; n > 0; n = Math.floor(n / 2), k++) if (n % 2) p = multiplyModPoly(X_POW_2K[k & 31]!, p);
  if (operatorCache.size >= OPERATOR_CACHE_ENTRIES) operatorCache.delete(operatorCache.keys().next().value!);
  operatorCache.set(bytes, p);
  return p;
}

/**
 * CRC-32 of A followed by B from CRC-32(A), CRC-32(B) and B's length, in
 * O(log length) steps without touching the bytes (zlib's crc32_combine).
 * A frame's CRC comes from its chunk's CRC this way: one pass over the data.
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (multiplyModPoly(zeroBytesOperator(lengthB), crcA >>> 0) ^ crcB) >>> 0;
}

/**
 * CRC-32 of B from CRC-32(A followed by B), CRC-32(A) and B's length: the
 * inverse of crc32Combine (CRC-32 is affine in its input, so the prefix's
 * share can be taken out again). A terminal gets a chunk's data CRC from the
 * frame CRC it already computed this way.
 */
export function crc32Suffix(crcAB: number, crcA: number, lengthB: number): number {
  // Shifting A's CRC past B and adding it (XOR) is its own inverse.
  return crc32Combine(crcA, crcAB, lengthB);
}
