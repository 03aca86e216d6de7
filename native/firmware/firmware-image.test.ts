import { describe, expect, it } from 'vitest';
import { buildFirmwareImage, FIRMWARE_HEADER_SIZE, parseFirmwareHeader, verifyFirmwareImage } from './index';

const payload = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
const image = buildFirmwareImage({ model: 'MF286D', hwRevision: 'V1.0', version: 'B02', payload });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('firmware image header', () => {
  it('round-trips model, hardware revision, version and payload length', () => {
    expect(image.length).toBe(FIRMWARE_HEADER_SIZE + payload.length);
    const h = verifyFirmwareImage(image);
    expect(h).toMatchObject({ model: 'MF286D', hwRevision: 'V1.0', version: 'B02', payloadLength: 1000, imageLength: 1128 });
    expect(image.subarray(FIRMWARE_HEADER_SIZE)).toEqual(payload);
  });

  it('refuses a headerless file, a short file and a damaged header with IMAGE_NO_HEADER', () => {
    expect(codeOf(() => parseFirmwareHeader(payload))).toBe('ZUC-1021');
    expect(codeOf(() => parseFirmwareHeader(image.subarray(0, 100)))).toBe('ZUC-1021');
    const damaged = image.slice();
    damaged[10] = damaged[10]! ^ 0x01; // inside the model field: the header CRC catches it
    expect(codeOf(() => parseFirmwareHeader(damaged))).toBe('ZUC-1021');
  });

  it('accepts a good header on a truncated image but verify refuses it', () => {
    expect(parseFirmwareHeader(image.subarray(0, FIRMWARE_HEADER_SIZE)).version).toBe('B02');
    expect(codeOf(() => verifyFirmwareImage(image.subarray(0, 500)))).toBe('ZUC-1021');
  });

  it('refuses a payload whose SHA-256 differs from the header', () => {
    const flipped = image.slice();
    flipped[FIRMWARE_HEADER_SIZE + 3] = flipped[FIRMWARE_HEADER_SIZE + 3]! ^ 0x80;
    expect(codeOf(() => verifyFirmwareImage(flipped))).toBe('ZUC-1021');
  });

  it('refuses fields that do not fit the header', () => {
    expect(codeOf(() => buildFirmwareImage({ model: 'M'.repeat(33), hwRevision: 'V1', version: 'B1', payload }))).toBe('ZUC-1013');
    expect(codeOf(() => buildFirmwareImage({ model: 'MF286D', hwRevision: '', version: 'B1', payload }))).toBe('ZUC-1013');
    expect(codeOf(() => buildFirmwareImage({ model: 'MF286D', hwRevision: 'V1', version: 'B1', payload: new Uint8Array() }))).toBe('ZUC-1013');
  });
});
