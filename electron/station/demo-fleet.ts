import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildFirmwareImage } from '../../native/firmware';
import { parseFaultSpec, startSimulatedTerminal, type RunningTerminal } from '../../native/simulator';
import type { SimulatedUsbBus } from '../../native/simulator/usb-endpoint';

/** One virtual terminal of the demo bench. */
export interface DemoTerminalSpec {
  model: string;
  hwRevision: string;
  serial: string;
  version: string;
  /** Version of the good image the demo writes for this model. */
  nextVersion: string;
  faults: string[];
  /** Plugged in over (simulated) USB instead of TCP. */
  usb?: boolean;
}

/** Mixed models and versions; the MiFi never confirms a new image, to show the rollback. */
export const DEMO_TERMINALS: readonly DemoTerminalSpec[] = [
  { model: 'MF286D', hwRevision: 'V1.0', serial: 'ZTE286D0001', version: '1.2.0', nextVersion: '1.3.0', faults: [] },
  { model: 'MF289F', hwRevision: 'V2.1', serial: 'ZTE289F0002', version: '2.0.1', nextVersion: '2.1.0', faults: [] },
  { model: 'MC801A', hwRevision: 'V1.1', serial: 'ZTE801A0003', version: '3.1.0', nextVersion: '3.2.0', faults: [], usb: true },
  { model: 'MF971R', hwRevision: 'V1.0', serial: 'ZTE971R0004', version: '1.0.7', nextVersion: '1.1.0', faults: ['boot-fail'] },
];

/** A model none of the demo terminals is, for trying a wrong image. */
const WRONG_MODEL = { model: 'MF920V', hwRevision: 'V1.0', version: '9.9.9' };
/** Bytes of each demo image's payload: large enough that the write progress is visible. */
const DEMO_PAYLOAD_BYTES = 3 * 1024 * 1024;
/** Bytes each demo slot holds. */
export const DEMO_SLOT_BYTES = 8 * 1024 * 1024;
/** Link speed of the demo terminals, like a fast serial line: a 3 MiB image takes a few seconds, so the progress is visible. */
const DEMO_LINK_BYTES_PER_SECOND = 1024 * 1024;

export interface DemoImage {
  path: string;
  description: string;
}

/** Starts the demo terminals over TCP (those marked `usb` on `usbBus`, when given), each with its state under `stateRoot`. */
export async function startDemoTerminals(stateRoot: string, specs: readonly DemoTerminalSpec[] = DEMO_TERMINALS, usbBus?: SimulatedUsbBus): Promise<RunningTerminal[]> {
  const started: RunningTerminal[] = [];
  try {
    for (const spec of specs) {
      const stateDir = path.join(stateRoot, spec.serial);
      await mkdir(stateDir, { recursive: true });
      started.push(
        await startSimulatedTerminal({
          stateDir,
          ...(spec.usb && usbBus ? { transport: 'usb' as const, usbBus } : { transport: 'tcp' as const }),
          model: spec.model,
          hwRevision: spec.hwRevision,
          serial: spec.serial,
          version: spec.version,
          slotSize: DEMO_SLOT_BYTES,
          linkBytesPerSecond: DEMO_LINK_BYTES_PER_SECOND,
          faults: spec.faults.map((f) => parseFaultSpec(f)),
        }),
      );
    }
  } catch (err) {
    await Promise.all(started.map((t) => t.close()));
    throw err;
  }
  return started;
}

/** Writes one good image per model and one for a model no terminal is. */
export async function writeDemoImages(folder: string, specs: readonly DemoTerminalSpec[] = DEMO_TERMINALS): Promise<DemoImage[]> {
  await mkdir(folder, { recursive: true });
  const images: DemoImage[] = [];
  const write = async (model: string, hwRevision: string, version: string, name: string, description: string) => {
    const file = path.join(folder, name);
    await writeFile(file, buildFirmwareImage({ model, hwRevision, version, payload: new Uint8Array(randomBytes(DEMO_PAYLOAD_BYTES)) }));
    images.push({ path: file, description });
  };
  for (const s of specs) {
    const note = s.faults.includes('boot-fail') ? ' (this terminal never confirms it: rolls back)' : '';
    await write(s.model, s.hwRevision, s.nextVersion, `${s.model}-${s.nextVersion}.bin`, `${s.model} ${s.nextVersion}${note}`);
  }
  await write(WRONG_MODEL.model, WRONG_MODEL.hwRevision, WRONG_MODEL.version, `${WRONG_MODEL.model}-${WRONG_MODEL.version}-wrong-model.bin`, `${WRONG_MODEL.model} ${WRONG_MODEL.version}: fits no demo terminal (the flash dialog marks every terminal "cannot flash")`);
  return images;
}
