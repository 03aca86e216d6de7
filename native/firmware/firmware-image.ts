import { createHash } from 'node:crypto';
import { E, ZucError } from '../../electron/shared/errors';
import { crc32 } from '../protocol/agent/crc32';

/** Layout of the raw image header, docs/firmware-image.md. */
export const FIRMWARE_HEADER_SIZE = 128;
export const FIRMWARE_MAGIC = 'ZTFW';
export const FIRMWARE_HEADER_VERSION = 1;

const FIELDS = {
  model: { at: 8, size: 32 },
  hwRevision: { at: 40, size: 16 },
  version: { at: 56, size: 32 },
} as const;
const PAYLOAD_LENGTH_AT = 88;
const PAYLOAD_SHA_AT = 92;
const HEADER_CRC_AT = 124;

export interface FirmwareHeader {
  headerVersion: number;
  model: string;
  hwRevision: string;
  version: string;
  payloadLength: number;
  payloadSha256: Uint8Array;
  /** Header plus payload: the bytes that belong to the image. */
  imageLength: number;
}

export interface FirmwareImageSpec {
  model: string;
  hwRevision: string;
  version: string;
  payload: Uint8Array;
}

const PRINTABLE = /^[\x20-\x7e]+$/;

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/** Builds header + payload. Throws BAD_ARGUMENTS for a field that does not fit. */
export function buildFirmwareImage(spec: FirmwareImageSpec): Uint8Array {
  if (spec.payload.length === 0) throw new ZucError(E.BAD_ARGUMENTS, 'a firmware image needs a payload of at least one byte');
  const out = new Uint8Array(FIRMWARE_HEADER_SIZE + spec.payload.length);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(FIRMWARE_MAGIC), 0);
  view.setUint16(4, FIRMWARE_HEADER_VERSION, true);
  view.setUint16(6, FIRMWARE_HEADER_SIZE, true);
  for (const [name, { at, size }] of Object.entries(FIELDS)) {
    const value = spec[name as keyof typeof FIELDS];
    if (!PRINTABLE.test(value) || value.length > size) {
      throw new ZucError(E.BAD_ARGUMENTS, `${name} '${value}' must be 1..${size} printable ASCII characters`);
    }
    out.set(new TextEncoder().encode(value), at);
  }
  view.setUint32(PAYLOAD_LENGTH_AT, spec.payload.length, true);
  out.set(sha256(spec.payload), PAYLOAD_SHA_AT);
  view.setUint32(HEADER_CRC_AT, crc32(out.subarray(0, HEADER_CRC_AT)), true);
  out.set(spec.payload, FIRMWARE_HEADER_SIZE);
  return out;
}

function noHeader(why: string): never {
  throw new ZucError(E.IMAGE_NO_HEADER, why);
}

function readField(bytes: Uint8Array, name: keyof typeof FIELDS): string {
  const { at, size } = FIELDS[name];
  const raw = bytes.subarray(at, at + size);
  const nul = raw.indexOf(0);
  const used = nul === -1 ? raw : raw.subarray(0, nul);
  if (nul !== -1 && raw.subarray(nul).some((b) => b !== 0)) noHeader(`${name} has bytes after its end`);
  const text = String.fromCharCode(...used);
  if (!PRINTABLE.test(text)) noHeader(`${name} is empty or not printable ASCII`);
  return text;
}

/** Reads and checks the header in the first 128 bytes; anything invalid is IMAGE_NO_HEADER. */
export function parseFirmwareHeader(bytes: Uint8Array): FirmwareHeader {
  if (bytes.length < FIRMWARE_HEADER_SIZE) noHeader(`${bytes.length} bytes, a header alone has ${FIRMWARE_HEADER_SIZE}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, FIRMWARE_HEADER_SIZE);
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== FIRMWARE_MAGIC) noHeader(`does not start with '${FIRMWARE_MAGIC}'`);
  const headerVersion = view.getUint16(4, true);
  if (headerVersion !== FIRMWARE_HEADER_VERSION) noHeader(`header version ${headerVersion}, this console knows ${FIRMWARE_HEADER_VERSION}`);
  if (view.getUint16(6, true) !== FIRMWARE_HEADER_SIZE) noHeader(`header size ${view.getUint16(6, true)}, expected ${FIRMWARE_HEADER_SIZE}`);
  if (view.getUint32(HEADER_CRC_AT, true) !== crc32(bytes.subarray(0, HEADER_CRC_AT))) noHeader('header CRC does not match');
  const payloadLength = view.getUint32(PAYLOAD_LENGTH_AT, true);
  if (payloadLength === 0) noHeader('payload length is 0');
  return {
    headerVersion,
    model: readField(bytes, 'model'),
    hwRevision: readField(bytes, 'hwRevision'),
    version: readField(bytes, 'version'),
    payloadLength,
    payloadSha256: bytes.slice(PAYLOAD_SHA_AT, PAYLOAD_SHA_AT + 32),
    imageLength: FIRMWARE_HEADER_SIZE + payloadLength,
  };
}

/** Checks header and payload (complete, SHA-256 matches); what a bootloader checks before booting. */
export function verifyFirmwareImage(bytes: Uint8Array): FirmwareHeader {
  const header = parseFirmwareHeader(bytes);
  if (bytes.length < header.imageLength) noHeader(`payload is ${bytes.length - FIRMWARE_HEADER_SIZE} bytes, the header says ${header.payloadLength}`);
  const actual = sha256(bytes.subarray(FIRMWARE_HEADER_SIZE, header.imageLength));
  if (!actual.every((b, i) => b === header.payloadSha256[i])) noHeader('payload SHA-256 does not match the header');
  return header;
}
