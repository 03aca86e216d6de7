import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { generateKeyPair, openPackage, packDelta, packFull, type SigningKey } from '../package';

/** Test fixtures: real signed packages, as a release engineer would publish them. */

export interface BuiltPackage {
  bytes: Uint8Array;
  sha256: string;
  packageId: string;
}

export interface FirmwareSet {
  key: SigningKey;
  /** The image a terminal on B03 runs. */
  oldImage: Uint8Array;
  oldImageSha256: string;
  b03: BuiltPackage;
  b04: BuiltPackage;
  /** B03 → B04 delta. */
  delta: BuiltPackage;
  /** A full package for another model. */
  otherModel: BuiltPackage;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function built(bytes: Uint8Array, packageId: string): BuiltPackage {
  return { bytes, sha256: sha256Of(bytes), packageId };
}

function manifest(packageId: string, version: string, models: string[] = ['MF286D']): Record<string, unknown> {
  return { packageId, models, hwRevisions: ['A1', 'A2'], version, securityVersion: 3, createdAt: '2026-11-28T15:40:00.000Z' };
}

/** MF286D B03 and B04 (full), the B03 → B04 delta, and an MF971R package. */
export async function buildFirmwareSet(imageBytes = 96 * 1024): Promise<FirmwareSet> {
  const key = generateKeyPair();
  const oldImage = new Uint8Array(randomBytes(imageBytes));
  const newImage = oldImage.slice();
  newImage.set(randomBytes(2048), imageBytes / 3);
  const b03 = packFull({ keys: [key], manifest: manifest('mf286d-b03', 'B03'), images: [{ name: 'firmware', image: oldImage, encoding: 'raw' }] });
  const b04 = packFull({ keys: [key], manifest: manifest('mf286d-b04', 'B04'), images: [{ name: 'firmware', image: newImage, encoding: 'raw' }] });
  const delta = await packDelta(await openPackage(b03.bytes), await openPackage(b04.bytes), { keys: [key], packageId: 'mf286d-b03-b04' });
  const other = packFull({ keys: [key], manifest: manifest('mf971r-b02', 'B02', ['MF971R']), images: [{ name: 'firmware', image: new Uint8Array(randomBytes(4096)), encoding: 'raw' }] });
  return {
    key,
    oldImage,
    oldImageSha256: sha256Of(oldImage),
    b03: built(b03.bytes, 'mf286d-b03'),
    b04: built(b04.bytes, 'mf286d-b04'),
    delta: built(delta.bytes, 'mf286d-b03-b04'),
    otherModel: built(other.bytes, 'mf971r-b02'),
  };
}

/** A library folder: good packages (one in a sub-folder), a truncated one, a text file named .zup, and files that are not packages. */
export async function writeLibrary(dir: string, set: FirmwareSet): Promise<void> {
  await fs.mkdir(path.join(dir, 'mf286d', 'deltas'), { recursive: true });
  await fs.writeFile(path.join(dir, 'mf286d', 'mf286d-b03.zup'), set.b03.bytes);
  await fs.writeFile(path.join(dir, 'mf286d', 'mf286d-b04.zup'), set.b04.bytes);
  await fs.writeFile(path.join(dir, 'mf286d', 'deltas', 'mf286d-b03-b04.zup'), set.delta.bytes);
  await fs.writeFile(path.join(dir, 'mf971r-b02.zup'), set.otherModel.bytes);
  await fs.writeFile(path.join(dir, 'broken-copy.zup'), set.b04.bytes.subarray(0, set.b04.bytes.length - 100));
  await fs.writeFile(path.join(dir, 'readme.zup'), 'This is not a package.\n');
  await fs.writeFile(path.join(dir, 'RELEASE-NOTES.txt'), 'B04: fixes the LTE band 20 drop.\n');
  await fs.writeFile(path.join(dir, '.mf286d-b05.zup.part'), randomBytes(100));
}
