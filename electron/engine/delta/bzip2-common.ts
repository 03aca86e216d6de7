/** Shared constants of the bzip2 format (Julian Seward's bzip2 1.0, as read by libbz2). */

export const BLOCK_MAGIC_HI = 0x314159;
export const BLOCK_MAGIC_LO = 0x265359;
export const END_MAGIC_HI = 0x177245;
export const END_MAGIC_LO = 0x385090;
/** Symbols per Huffman group; each group picks one of the block's tables. */
export const GROUP_SIZE = 50;
export const MAX_CODE_BITS = 20;
export const RUN_A = 0;
export const RUN_B = 1;
/** Runs of this many equal bytes are followed by a count byte (the first-stage run-length code). */
export const RLE1_THRESHOLD = 4;

export const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** bzip2's CRC-32: the MSB-first polynomial 0x04C11DB7, register starting at all ones. */
export function crcUpdate(crc: number, byte: number): number {
  return ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
}

/** Continues a running (unfinished) CRC over a range, in one tight loop. */
export function crcUpdateRange(crc: number, bytes: Uint8Array, start: number, end: number): number {
  const table = CRC_TABLE;
  let c = crc;
  for (let i = start; i < end; i++) c = (c << 8) ^ table[((c >>> 24) ^ bytes[i]!) & 0xff]!;
  return c >>> 0;
}

/** The block CRC over a whole range, in one tight loop. */
export function crcOfRange(bytes: Uint8Array, start: number, end: number): number {
  const table = CRC_TABLE;
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = (crc << 8) ^ table[((crc >>> 24) ^ bytes[i]!) & 0xff]!;
  return ~crc >>> 0;
}

export function combineCrc(combined: number, blockCrc: number): number {
  return (((combined << 1) | (combined >>> 31)) ^ blockCrc) >>> 0;
}
