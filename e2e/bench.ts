import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type EngineOptions } from '../electron/engine';
import { SETTINGS_FILE_NAME } from '../electron/engine/settings';
import { DEFAULT_STATIC_DIR, startStation, type RunningStation } from '../electron/station/station';
import { buildFirmwareImage } from '../native/firmware';
import { createAgentClient } from '../native/protocol/agent';
import { parseFaultSpec, startSimulatedTerminal, type RunningTerminal } from '../native/simulator';
import { createSimulatedUsbBus } from '../native/simulator/usb-endpoint';
import { openLink } from '../native/transport';

export interface BenchTerminal {
  model: string;
  hwRevision: string;
  serial: string;
  version: string;
  faults: string[];
  /** Plugged in over a simulated USB bus (a `usb:` address) instead of TCP. */
  usb?: boolean;
}

export interface Bench {
  readonly station: RunningStation;
  /** Stops the station and starts it again on the same port with the same engine: a page sees its connection drop and come back. */
  restartStation(whileDown: () => Promise<void>): Promise<void>;
  terminals: RunningTerminal[];
  /** Writes an image for `model` into the bench folder and returns its path. */
  writeImage(spec: { model: string; hwRevision: string; version: string; payloadBytes: number }): Promise<string>;
  close(): Promise<void>;
}

/** Bytes each simulated slot holds. */
const SLOT_BYTES = 8 * 1024 * 1024;
/** Time a simulated terminal takes to boot: short, so a rollback (two failed boots) stays quick. */
const BOOT_MS = 300;
const MAX_TRIES = 2;
/** Link speed of the simulated terminals: a 3 MiB write takes about two seconds, long enough to watch its progress. */
const LINK_BYTES_PER_SECOND = 1.5 * 1024 * 1024;

/**
 * A whole console on one machine: real simulated terminals over TCP, the
 * real engine on a temp data folder, the real station serving the built page.
 */
export async function startBench(
  specs: BenchTerminal[],
  { prepareDataDir, ...engineOptions }: Pick<EngineOptions, 'trustStoreDir' | 'pollHawkbit'> & { /** Writes into the engine's data folder before it opens (settings, an earlier history). */ prepareDataDir?: (dataDir: string) => Promise<void> } = {},
): Promise<Bench> {
  if (!existsSync(path.join(DEFAULT_STATIC_DIR, 'index.html'))) {
    throw new Error('renderer/dist is missing: run `npm run build:renderer` first (npm run test:e2e does)');
  }
  const root = await mkdtemp(path.join(os.tmpdir(), 'zuc-e2e-'));
  const terminals: RunningTerminal[] = [];
  if (prepareDataDir) {
    await mkdir(path.join(root, 'data'), { recursive: true });
    await prepareDataDir(path.join(root, 'data'));
  }
  // USB terminals sit on a simulated bus in this process, where the engine also looks up their usb: addresses.
  const usbBus = specs.some((s) => s.usb) ? createSimulatedUsbBus() : undefined;
  const connector = usbBus ? { connector: async (address: string) => createAgentClient(await openLink(address, { usb: usbBus })) } : {};
  const engine = createEngine({ dataDir: path.join(root, 'data'), timeouts: { bootMs: 20_000, reconnectIntervalMs: 100 }, ...connector, ...engineOptions });
  let station: RunningStation | undefined;
  const close = async () => {
    await station?.close();
    await engine.close();
    await Promise.all(terminals.map((t) => t.close()));
    await rm(root, { recursive: true, force: true });
  };
  try {
    for (const spec of specs) {
      const stateDir = path.join(root, 'terminals', spec.serial);
      await mkdir(stateDir, { recursive: true });
      terminals.push(
        await startSimulatedTerminal({
          stateDir,
          ...(spec.usb && usbBus ? { transport: 'usb' as const, usbBus } : { transport: 'tcp' as const }),
          model: spec.model,
          hwRevision: spec.hwRevision,
          serial: spec.serial,
          version: spec.version,
          slotSize: SLOT_BYTES,
          bootMs: BOOT_MS,
          maxTries: MAX_TRIES,
          linkBytesPerSecond: LINK_BYTES_PER_SECOND,
          faults: spec.faults.map((f) => parseFaultSpec(f)),
        }),
      );
    }
    for (const terminal of terminals) await engine.addDevice({ address: terminal.address });
    station = await startStation({ service: engine });
  } catch (err) {
    await close();
    throw err;
  }
  return {
    get station() {
      return station!;
    },
    async restartStation(whileDown) {
      const port = station!.port;
      await station!.close();
      station = undefined;
      await whileDown();
      station = await startStation({ service: engine, port });
    },
    terminals,
    async writeImage({ model, hwRevision, version, payloadBytes }) {
      const payload = new Uint8Array(payloadBytes);
      for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + model.length * 7) & 0xff;
      const file = path.join(root, `${model}-${version}.bin`);
      await writeFile(file, buildFirmwareImage({ model, hwRevision, version, payload }));
      return file;
    },
    close,
  };
}

/** A `prepareDataDir` that saves settings with one library folder as the update source (plus `extra` settings). */
export function librarySettings(folder: string, extra: Record<string, unknown> = {}): (dataDir: string) => Promise<void> {
  return (dataDir) => writeFile(path.join(dataDir, SETTINGS_FILE_NAME), JSON.stringify({ sources: [{ kind: 'library', folder }], ...extra }));
}

/** Creates `dir` as a trust store folder holding the public key of `key`; returns `dir`. */
export async function writeTrustFolder(dir: string, key: { publicKey: KeyObject }): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'publisher.pem'), key.publicKey.export({ format: 'pem', type: 'spki' }).toString());
  return dir;
}
