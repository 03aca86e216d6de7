import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildFirmwareImage, FIRMWARE_HEADER_SIZE, parseFirmwareHeader } from '../../../native/firmware';
import { buildTestFirmware, type RunningTerminal } from '../../../native/simulator';
import { generateKeyPair, openPackage, packDelta, packFull, type SigningKey } from '../package';
import { sampleInput } from '../package/package-fixtures';
import { HW_REVISION, MODEL, tempDir } from '../test-kit';

/**
 * Real signed packages around real firmware images, for the engine's and
 * the CLI's tests of flashing packages onto simulated terminals.
 */
export interface PackageSpec {
  version: string;
  /** Signing keys; none makes an unsigned package. Default: one fresh key. */
  keys?: readonly SigningKey[];
  models?: string[];
  hwRevisions?: string[];
  securityVersion?: number;
  /** The version written in the image header inside, when a test wants it to disagree with the manifest. */
  headerVersion?: string;
  /** The firmware payload; default 64 KiB of noise. */
  payload?: Uint8Array;
}

export interface PackageFile {
  path: string;
  bytes: Uint8Array;
  /** The firmware image inside, as the terminal's slot will hold it. */
  image: Uint8Array;
}

export function firmwareFor(version: string, payload: Uint8Array = new Uint8Array(randomBytes(64 * 1024))): Uint8Array {
  return buildFirmwareImage({ model: MODEL, hwRevision: HW_REVISION, version, payload });
}

function manifestFor(spec: PackageSpec): Record<string, unknown> {
  return sampleInput({
    packageId: `mf286d-${spec.version.toLowerCase()}`,
    version: spec.version,
    models: spec.models ?? [MODEL],
    hwRevisions: spec.hwRevisions ?? [HW_REVISION],
    securityVersion: spec.securityVersion ?? 3,
  });
}

async function writePackage(bytes: Uint8Array, name: string): Promise<string> {
  const file = path.join(await tempDir('zuc-package-'), name);
  await writeFile(file, bytes);
  return file;
}

/** A full package of one firmware partition, written to a temp file. */
export async function packageFile(spec: PackageSpec): Promise<PackageFile> {
  const image = firmwareFor(spec.headerVersion ?? spec.version, spec.payload);
  const { bytes } = packFull({ keys: spec.keys ?? [generateKeyPair()], manifest: manifestFor(spec), images: [{ name: 'firmware', image }] });
  return { path: await writePackage(bytes, `MF286D_${spec.version}.zup`), bytes, image };
}

/**
 * A delta package from the full image `oldImage` (a firmware image of the
 * test model) to a close successor `toVersion`, as `zuc delta` builds it.
 */
export async function deltaPackageFile(key: SigningKey, oldImage: Uint8Array, toVersion: string): Promise<PackageFile> {
  const old = parseFirmwareHeader(oldImage);
  const oldPayload = oldImage.subarray(FIRMWARE_HEADER_SIZE, FIRMWARE_HEADER_SIZE + old.payloadLength);
  const newPayload = new Uint8Array(oldPayload);
  for (let i = 0; i < newPayload.length; i += 997) newPayload[i] = newPayload[i]! ^ 0xa5;
  const { bytes: oldBytes } = packFull({ keys: [key], manifest: manifestFor({ version: old.version }), images: [{ name: 'firmware', image: oldImage }] });
  const newFile = await packageFile({ version: toVersion, keys: [key], payload: newPayload });
  const { bytes } = await packDelta(await openPackage(oldBytes), await openPackage(newFile.bytes), { keys: [key] });
  return { path: await writePackage(bytes, `MF286D_${old.version}-${toVersion}.zup`), bytes, image: newFile.image };
}

/** The image a new simulated terminal runs from slot a (see startTerminal), written to a file as `zuc flash --source` takes it. */
export async function runningImageFile(version = 'B01'): Promise<{ path: string; bytes: Uint8Array }> {
  const bytes = buildTestFirmware({ model: MODEL, hwRevision: HW_REVISION, version });
  return { path: await writePackage(bytes, `MF286D_${version}.bin`), bytes };
}

/** A trust store folder holding the public keys given. */
export async function trustDirWith(...keys: SigningKey[]): Promise<string> {
  const dir = await tempDir('zuc-trust-');
  for (const [i, key] of keys.entries()) await writeFile(path.join(dir, `publisher-${i}.pem`), key.publicKey.export({ format: 'pem', type: 'spki' }).toString());
  return dir;
}

/** A copy of the package with one payload byte flipped: its signature still holds, its payload hash no longer. */
export function tampered(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[copy.length - 10] = copy[copy.length - 10]! ^ 0x01;
  return copy;
}

/** The terminal's state a refused job must leave exactly as it was. */
export async function terminalState(terminal: RunningTerminal) {
  const { activeSlot, slots, payloadBytesReceived } = terminal.inspect();
  return { activeSlot, slots, payloadBytesReceived, a: await terminal.readSlot('a'), b: await terminal.readSlot('b') };
}
