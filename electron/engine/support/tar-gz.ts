import { gzipSync } from 'node:zlib';

/** One regular file in an archive. */
export interface TarEntry {
  name: string;
  data: Uint8Array;
  /** Seconds since the epoch. */
  mtimeS: number;
}

const BLOCK_BYTES = 512;
/** ustar keeps a name in 100 bytes; the bundle's names are short and flat. */
const MAX_NAME_BYTES = 100;
const FILE_MODE = 0o644;

/** A POSIX ustar archive of regular files, gzip-compressed: what `tar -xzf` and every support tool opens. */
export function tarGz(entries: readonly TarEntry[]): Uint8Array<ArrayBuffer> {
  const blocks: Uint8Array[] = [];
  for (const entry of entries) {
    blocks.push(ustarHeader(entry));
    blocks.push(entry.data);
    const padding = (BLOCK_BYTES - (entry.data.byteLength % BLOCK_BYTES)) % BLOCK_BYTES;
    blocks.push(new Uint8Array(padding));
  }
  // The end of an archive is two zero blocks.
  blocks.push(new Uint8Array(2 * BLOCK_BYTES));
  return new Uint8Array(gzipSync(Buffer.concat(blocks)));
}

function ustarHeader(entry: TarEntry): Uint8Array {
  const name = Buffer.from(entry.name, 'utf8');
  if (name.byteLength === 0 || name.byteLength > MAX_NAME_BYTES) throw new RangeError(`tar entry name must be 1..${MAX_NAME_BYTES} bytes: ${entry.name}`);
  const header = Buffer.alloc(BLOCK_BYTES);
  name.copy(header, 0);
  octal(header, 100, 8, FILE_MODE);
  octal(header, 108, 8, 0); // uid
  octal(header, 116, 8, 0); // gid
  octal(header, 124, 12, entry.data.byteLength);
  octal(header, 136, 12, Math.floor(entry.mtimeS));
  header.write('        ', 148, 'ascii'); // checksum counts as spaces while it is summed
  header.write('0', 156, 'ascii'); // regular file
  header.write('ustar\u0000', 257, 'ascii');
  header.write('00', 263, 'ascii');
  header.write('zuc', 265, 'ascii'); // owner name
  header.write('zuc', 297, 'ascii'); // group name
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
  return header;
}

/** A number as zero-padded octal ASCII with a terminating NUL, filling `width` bytes. */
function octal(header: Buffer, offset: number, width: number, value: number): void {
  const text = value.toString(8).padStart(width - 1, '0');
  if (text.length > width - 1) throw new RangeError(`tar header field too small for ${value}`);
  header.write(`${text}\u0000`, offset, 'ascii');
}
