import path from 'node:path';
import { afterEach } from 'vitest';
import type { RunningTerminal, SimulatedTerminalOptions } from '../../../native/simulator';
import { PackageCache } from '../download';
import { trustDirWith } from '../image/package-test-kit';
import { generateKeyPair } from '../package';
import type { Engine } from '../service/engine';
import type { UpdateSource } from '../sources';
import { startEngine, startTerminal, tempDir } from '../test-kit';
import { buildFleetLibrary, FLEET_MODELS, type FleetLibrary, type FleetModel } from './fleet-fixtures';
import { UpdateService } from './update-service';

/** Test support: a signed fleet library, simulated terminals of its models, an engine that trusts the publisher. */
export const publisher = generateKeyPair();

export interface FleetMember {
  terminal: RunningTerminal;
  model: FleetModel;
  version: string;
}

export async function fleetLibrary(): Promise<FleetLibrary> {
  return buildFleetLibrary(path.join(await tempDir('zuc-library-'), 'library'), { key: publisher });
}

/** `count` terminals cycling through the fleet models and the given versions; `faulty` indexes get boot-fail. */
export async function startFleet(count: number, versions: readonly string[], faulty: readonly number[] = [], extra: Partial<SimulatedTerminalOptions> = {}): Promise<FleetMember[]> {
  const members: FleetMember[] = [];
  for (let i = 0; i < count; i++) {
    const model = FLEET_MODELS[i % FLEET_MODELS.length]!;
    const version = versions[i % versions.length]!;
    const terminal = await startTerminal({ ...extra, ...model, version, serial: `ZTE${String(i).padStart(6, '0')}`, ...(faulty.includes(i) ? { faults: [{ kind: 'boot-fail' as const }] } : {}) });
    members.push({ terminal, model, version });
  }
  return members;
}

export async function updateEngine(): Promise<{ engine: Engine; dataDir: string }> {
  const dataDir = await tempDir('zuc-update-data-');
  const engine = await startEngine({ dataDir, trustStoreDir: await trustDirWith(publisher) });
  return { engine, dataDir };
}

const services: UpdateService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

export function updateService(engine: Engine, dataDir: string, sources: (cache: PackageCache) => UpdateSource[], concurrency = 4): UpdateService {
  const cache = PackageCache.inDataDir(dataDir);
  const service = new UpdateService({ engine, dataDir, sources: sources(cache), cache, concurrency });
  services.push(service);
  return service;
}
