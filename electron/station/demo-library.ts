import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateKeyPair, packFull } from '../engine/package';
import { baseImageOf, buildFleetLibrary } from '../engine/update/fleet-fixtures';
import type { DemoTerminalSpec } from './demo-fleet';

export interface DemoLibrary {
  folder: string;
  trustFolder: string;
  keyId: string;
}

/**
 * The demo's firmware library: for each demo terminal the full package of
 * the version it runs, the full package of its next version and the delta
 * between them, all signed by a demo release key the console trusts; plus a
 * package signed by a lab key it does not trust and an unsigned one, so the
 * Library screen shows every signature status.
 */
export async function writeDemoLibrary(root: string, specs: readonly DemoTerminalSpec[]): Promise<DemoLibrary> {
  const folder = path.join(root, 'library');
  const trustFolder = path.join(root, 'data', 'trust');
  const release = generateKeyPair();
  for (const s of specs) {
    await buildFleetLibrary(path.join(folder, s.model), { key: release, models: [{ model: s.model, hwRevision: s.hwRevision }], baseVersions: [s.version], target: s.nextVersion });
  }
  const lab = path.join(folder, 'lab');
  await mkdir(lab, { recursive: true });
  const first = specs[0]!;
  const image = baseImageOf({ model: first.model, hwRevision: first.hwRevision }, `${first.nextVersion}-rc1`);
  const manifest = (packageId: string, releaseNotes: string) => ({ packageId, models: [first.model], hwRevisions: [first.hwRevision], version: `${first.nextVersion}-rc1`, securityVersion: 3, releaseNotes, createdAt: new Date().toISOString() });
  await writeFile(path.join(lab, `${first.model}_${first.nextVersion}-rc1-lab.zup`), packFull({ keys: [generateKeyPair()], manifest: manifest(`${first.model.toLowerCase()}-rc1-lab`, 'Release candidate signed with a lab key.'), images: [{ name: 'firmware', image }] }).bytes);
  await writeFile(path.join(lab, `${first.model}_${first.nextVersion}-rc1-unsigned.zup`), packFull({ keys: [], manifest: manifest(`${first.model.toLowerCase()}-rc1-unsigned`, 'Unsigned engineering build.'), images: [{ name: 'firmware', image }] }).bytes);
  // The trust store holds the release key's public half only.
  await mkdir(trustFolder, { recursive: true });
  await writeFile(path.join(trustFolder, 'demo-release.pem'), release.publicKey.export({ format: 'pem', type: 'spki' }).toString());
  return { folder, trustFolder, keyId: release.keyId };
}
