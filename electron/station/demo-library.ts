import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateKeyPair, packFull } from '../engine/package';
import { baseImageOf, buildFleetLibrary } from '../engine/update/fleet-fixtures';
import type { DemoTerminalSpec } from './demo-fleet';

/** The lab builds' model: none of the demo terminals, so an update never picks an untrusted build. */
const LAB_MODEL = { model: 'MF920V', hwRevision: 'V1.0' };
const LAB_VERSION = '9.9.9-rc1';

export interface DemoLibrary {
  folder: string;
  trustFolder: string;
  keyId: string;
}

/**
 * The demo's firmware library: for each demo terminal the full package of
 * the version it runs, the full package of its next version and the delta
 * between them, all signed by a demo release key the console trusts; plus a
 * package signed by a lab key it does not trust and an unsigned one (for a
 * model no demo terminal is), so the Library screen shows every status.
 */
export async function writeDemoLibrary(root: string, specs: readonly DemoTerminalSpec[]): Promise<DemoLibrary> {
  const folder = path.join(root, 'library');
  const trustFolder = path.join(root, 'data', 'trust');
  const release = generateKeyPair();
  for (const s of specs) {
    await buildFleetLibrary(path.join(folder, s.model), { key: release, models: [{ model: s.model, hwRevision: s.hwRevision }], baseVersions: [s.version], target: s.nextVersion });
  }
  // Engineering builds for a model no demo terminal is: listed with their signature status, never offered to a terminal.
  const lab = path.join(folder, 'lab');
  await mkdir(lab, { recursive: true });
  const image = baseImageOf(LAB_MODEL, LAB_VERSION);
  const manifest = (packageId: string, releaseNotes: string) => ({ packageId, models: [LAB_MODEL.model], hwRevisions: [LAB_MODEL.hwRevision], version: LAB_VERSION, securityVersion: 1, releaseNotes, createdAt: new Date().toISOString() });
  await writeFile(path.join(lab, `${LAB_MODEL.model}_${LAB_VERSION}-lab.zup`), packFull({ keys: [generateKeyPair()], manifest: manifest(`mf920v-${LAB_VERSION}-lab`, 'Release candidate signed with a lab key the console does not trust.'), images: [{ name: 'firmware', image }] }).bytes);
  await writeFile(path.join(lab, `${LAB_MODEL.model}_${LAB_VERSION}-unsigned.zup`), packFull({ keys: [], manifest: manifest(`mf920v-${LAB_VERSION}-unsigned`, 'Unsigned engineering build.'), images: [{ name: 'firmware', image }] }).bytes);
  // The trust store holds the release key's public half only.
  await mkdir(trustFolder, { recursive: true });
  await writeFile(path.join(trustFolder, 'demo-release.pem'), release.publicKey.export({ format: 'pem', type: 'spki' }).toString());
  return { folder, trustFolder, keyId: release.keyId };
}
