import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { E, ZucError } from '../../shared/errors';
import { buildFirmwareImage } from '../../../native/firmware';
import { buildTestFirmware, testPayload } from '../../../native/simulator';
import { openPackage, packDelta, packFull, type SigningKey } from '../package';

/**
 * A firmware library for a fleet of simulated terminals, built from real
 * signed packages: for each model the full packages of the versions the
 * terminals run, the full package of the target, and a delta from the
 * newest base to the target. Used by the update tests and `npm run bench:fleet`.
 */
export interface FleetModel {
  model: string;
  hwRevision: string;
}

export const FLEET_MODELS: readonly FleetModel[] = [
  { model: 'MF286D', hwRevision: 'V1.0' },
  { model: 'MC801A', hwRevision: 'V2.0' },
  { model: 'MU5001', hwRevision: 'V1.0' },
];

export interface FleetLibrarySpec {
  key: SigningKey;
  models?: readonly FleetModel[];
  /** Versions the terminals run; each gets a full package. Default B01, B02. */
  baseVersions?: readonly string[];
  target?: string;
  /** The delta to the target is made from this base (default the last base version); none when null. */
  deltaFrom?: string | null;
  /** Firmware payload size; default the simulator's 64 KiB. */
  payloadBytes?: number;
}

export interface FleetLibrary {
  dir: string;
  target: string;
  /** Package id of the target's full package, by model. */
  fullId(model: string): string;
  /** Package id of the delta to the target, by model. */
  deltaId(model: string): string;
}

export function packageIdOf(model: string, version: string): string {
  return `${model.toLowerCase()}-${version.toLowerCase()}`;
}

/** The image a simulated terminal of this model runs when started at `version` (the simulator builds the same bytes). */
export function baseImageOf(m: FleetModel, version: string, payloadBytes?: number): Uint8Array {
  return buildTestFirmware({ ...m, version, ...(payloadBytes ? { payloadBytes } : {}) });
}

/** The target firmware: the delta base's payload with a few bytes changed, as a real service release would be. */
export function targetImageOf(m: FleetModel, base: string, target: string, payloadBytes?: number): Uint8Array {
  const payload = testPayload(payloadBytes ?? 64 * 1024, `${m.model}/${m.hwRevision}/${base}`);
  for (let i = 0; i < payload.length; i += 1009) payload[i] = payload[i]! ^ 0x5a;
  return buildFirmwareImage({ ...m, version: target, payload });
}

function manifest(m: FleetModel, version: string): Record<string, unknown> {
  return { packageId: packageIdOf(m.model, version), models: [m.model], hwRevisions: [m.hwRevision], version, securityVersion: 3, releaseNotes: `${m.model} ${version}`, createdAt: '2026-11-28T15:40:00.000Z' };
}

/**
 * One more full package of `version` for model `m`, signed by `keys` (none:
 * unsigned), written into a library folder: a release from another
 * publisher, or a development build. `tag` tells apart a second build of a version.
 */
export async function addFleetPackage(dir: string, m: FleetModel, version: string, keys: readonly SigningKey[], tag = ''): Promise<string> {
  const packageId = `${packageIdOf(m.model, version)}${tag}`;
  const { bytes } = packFull({ keys, manifest: { ...manifest(m, version), packageId }, images: [{ name: 'firmware', image: baseImageOf(m, version) }] });
  await writeFile(path.join(dir, `${m.model}_${version}${tag}.zup`), bytes);
  return packageId;
}

export async function buildFleetLibrary(dir: string, spec: FleetLibrarySpec): Promise<FleetLibrary> {
  const models = spec.models ?? FLEET_MODELS;
  const bases = spec.baseVersions ?? ['B01', 'B02'];
  const target = spec.target ?? 'B03';
  const deltaFrom = spec.deltaFrom === undefined ? bases[bases.length - 1] : spec.deltaFrom;
  const keys = [spec.key];
  await mkdir(dir, { recursive: true });
  for (const m of models) {
    const baseBytes = new Map<string, Uint8Array>();
    for (const version of bases) {
      const { bytes } = packFull({ keys, manifest: manifest(m, version), images: [{ name: 'firmware', image: baseImageOf(m, version, spec.payloadBytes) }] });
      baseBytes.set(version, bytes);
      await writeFile(path.join(dir, `${m.model}_${version}.zup`), bytes);
    }
    const targetImage = targetImageOf(m, deltaFrom ?? bases[bases.length - 1]!, target, spec.payloadBytes);
    const full = packFull({ keys, manifest: manifest(m, target), images: [{ name: 'firmware', image: targetImage }] });
    await writeFile(path.join(dir, `${m.model}_${target}.zup`), full.bytes);
    if (deltaFrom) {
      const old = baseBytes.get(deltaFrom);
      if (!old) throw new ZucError(E.BAD_ARGUMENTS, `delta base ${deltaFrom} is not one of the base versions`);
      const delta = await packDelta(await openPackage(old), await openPackage(full.bytes), { keys, packageId: `${packageIdOf(m.model, target)}-from-${deltaFrom.toLowerCase()}` });
      await writeFile(path.join(dir, `${m.model}_${deltaFrom}-${target}.zup`), delta.bytes);
    }
  }
  return { dir, target, fullId: (model) => packageIdOf(model, target), deltaId: (model) => `${packageIdOf(model, target)}-from-${deltaFrom?.toLowerCase() ?? ''}` };
}
