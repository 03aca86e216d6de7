import { randomBytes } from 'node:crypto';
import { generateKeyPair, type SigningKey } from './keys';
import { packFull } from './pack-full';

/** A manifest input as a release engineer would write it. */
export function sampleInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    packageId: 'mf286d-b04',
    models: ['MF286D'],
    hwRevisions: ['A1', 'A2'],
    version: 'B04',
    securityVersion: 3,
    releaseNotes: 'Fixes the LTE band 20 drop.',
    createdAt: '2026-11-28T15:40:00.000Z',
    ...overrides,
  };
}

/** Firmware-like bytes: a compressible header region followed by noise, so Brotli and raw both occur. */
export function sampleImage(size: number, seed = 1): Uint8Array {
  const image = new Uint8Array(size);
  for (let i = 0; i < size; i++) image[i] = (i * 31 + seed) & 0xff;
  image.set(randomBytes(Math.floor(size / 4)), Math.floor(size / 2));
  return image;
}

export interface SignedSample {
  key: SigningKey;
  bytes: Uint8Array;
  image: Uint8Array;
}

/** A small package signed with a fresh key: one Brotli partition of `size` bytes. */
export function signedSample(size = 2048, key: SigningKey = generateKeyPair()): SignedSample {
  const image = sampleImage(size);
  const { bytes } = packFull({ keys: [key], manifest: sampleInput(), images: [{ name: 'firmware', image, encoding: 'brotli' }] });
  return { key, bytes, image };
}
