import { E, ZucError } from '../../shared/errors';
import {
  HEADER_BYTES,
  MAX_MANIFEST_BYTES,
  MAX_PAYLOAD_AREA_BYTES,
  MAX_SIGNATURE_BLOCK_BYTES,
  PACKAGE_FORMAT_VERSION,
  PACKAGE_MAGIC,
} from './limits';

/** The fixed 32-byte header: where each section starts and how long it is. */
export interface ContainerHeader {
  formatVersion: number;
  manifestLength: number;
  signatureBlockLength: number;
  payloadLength: number;
}

export function encodeHeader(h: Omit<ContainerHeader, 'formatVersion'>): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(PACKAGE_MAGIC, 0);
  view.setUint16(8, PACKAGE_FORMAT_VERSION);
  view.setUint16(10, 0);
  view.setUint32(12, h.manifestLength);
  view.setUint32(16, h.signatureBlockLength);
  view.setBigUint64(20, BigInt(h.payloadLength));
  view.setUint32(28, 0);
  return bytes;
}

/** Decodes and bounds-checks the header; `totalSize` is the whole container's size when known. */
export function decodeHeader(bytes: Uint8Array, totalSize: number, name: string): ContainerHeader {
  if (bytes.length < HEADER_BYTES) {
    const looksLikePackage = PACKAGE_MAGIC.subarray(0, bytes.length).every((b, i) => bytes[i] === b);
    if (looksLikePackage) throw new ZucError(E.PACKAGE_TRUNCATED, `${name}: ${bytes.length} bytes, shorter than the ${HEADER_BYTES}-byte header`);
    throw new ZucError(E.PACKAGE_NOT_A_PACKAGE, `${name}: ${bytes.length} bytes, no package header`);
  }
  if (!PACKAGE_MAGIC.every((b, i) => bytes[i] === b)) throw new ZucError(E.PACKAGE_NOT_A_PACKAGE, `${name}: the file does not start with the .zup magic`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const formatVersion = view.getUint16(8);
  if (formatVersion !== PACKAGE_FORMAT_VERSION) throw new ZucError(E.PACKAGE_UNSUPPORTED_FORMAT, `${name}: format version ${formatVersion}, this console reads ${PACKAGE_FORMAT_VERSION}`);
  const flags = view.getUint16(10);
  if (flags !== 0) throw new ZucError(E.PACKAGE_UNSUPPORTED_FORMAT, `${name}: unknown header flags 0x${flags.toString(16)}`);
  if (view.getUint32(28) !== 0) throw new ZucError(E.PACKAGE_UNSUPPORTED_FORMAT, `${name}: reserved header bytes are not zero`);

  const manifestLength = view.getUint32(12);
  const signatureBlockLength = view.getUint32(16);
  const payloadLengthBig = view.getBigUint64(20);
  if (manifestLength > MAX_MANIFEST_BYTES) throw new ZucError(E.PACKAGE_SIZE_UNREASONABLE, `${name}: manifest of ${manifestLength} bytes, the limit is ${MAX_MANIFEST_BYTES}`);
  if (manifestLength < 2) throw new ZucError(E.PACKAGE_MANIFEST_MALFORMED, `${name}: manifest of ${manifestLength} bytes`);
  if (signatureBlockLength > MAX_SIGNATURE_BLOCK_BYTES) {
    throw new ZucError(E.PACKAGE_SIGNATURE_BLOCK_MALFORMED, `${name}: signature block of ${signatureBlockLength} bytes, the limit is ${MAX_SIGNATURE_BLOCK_BYTES}`);
  }
  if (payloadLengthBig > BigInt(MAX_PAYLOAD_AREA_BYTES)) throw new ZucError(E.PACKAGE_SIZE_UNREASONABLE, `${name}: ${payloadLengthBig} payload bytes declared, the limit is ${MAX_PAYLOAD_AREA_BYTES}`);
  const payloadLength = Number(payloadLengthBig);

  const declared = HEADER_BYTES + manifestLength + signatureBlockLength + payloadLength;
  if (totalSize < declared) throw new ZucError(E.PACKAGE_TRUNCATED, `${name}: ${totalSize} bytes, the header declares ${declared}`);
  if (totalSize > declared) throw new ZucError(E.PACKAGE_TRAILING_DATA, `${name}: ${totalSize} bytes, the header declares ${declared}`);
  return { formatVersion, manifestLength, signatureBlockLength, payloadLength };
}

/** Whether bytes start like a `.zup`, so a caller given "an image" can route packages to `resolveFlashImage`. */
export function looksLikePackage(bytes: Uint8Array): boolean {
  return bytes.length >= PACKAGE_MAGIC.length && PACKAGE_MAGIC.every((b, i) => bytes[i] === b);
}
