import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAgentClient } from '../../native/protocol/agent';
import { createSimulatedUsbBus } from '../../native/simulator/usb-endpoint';
import { openLink } from '../../native/transport';
import { createEngine } from '../engine';
import { ZucError } from '../shared/errors';
import { DEMO_TERMINALS, startDemoTerminals, writeDemoImages } from './demo-fleet';
import { writeDemoLibrary } from './demo-library';
import { closeOnSignal } from './shutdown';
import { startStation } from './station';

/** The demo's own folder in the checkout (gitignored): terminal state, images, the engine's database. */
const DEMO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.zuc-demo');

async function demo(): Promise<void> {
  // Every demo starts from the same bench: fresh terminals, fresh history.
  await rm(DEMO_DIR, { recursive: true, force: true });
  // One terminal is on USB: a simulated bus in this process, where the engine also looks up usb: addresses.
  const usbBus = createSimulatedUsbBus();
  const terminals = await startDemoTerminals(path.join(DEMO_DIR, 'terminals'), DEMO_TERMINALS, usbBus);
  const images = await writeDemoImages(path.join(DEMO_DIR, 'images'));
  const library = await writeDemoLibrary(DEMO_DIR, DEMO_TERMINALS);
  const engine = createEngine({ dataDir: path.join(DEMO_DIR, 'data'), pollHawkbit: true, connector: async (address) => createAgentClient(await openLink(address, { usb: usbBus })) });
  // The library serves Update on the Terminals screen and fills the Firmware library screen.
  await engine.updateSettings({ sources: [{ kind: 'library', folder: library.folder }] });

  process.stdout.write('Simulated terminals:\n');
  for (const [i, terminal] of terminals.entries()) {
    const spec = DEMO_TERMINALS[i]!;
    const fault = spec.faults.length ? `  [fault: ${spec.faults.join(', ')}]` : '';
    process.stdout.write(`  ${terminal.address}  ${spec.model} ${spec.hwRevision} ${spec.serial}  firmware ${spec.version}${fault}\n`);
    await engine.addDevice({ address: terminal.address }).catch((err: unknown) => {
      const e = ZucError.from(err);
      process.stderr.write(`  could not add ${terminal.address}: ${e.code} ${e.entry.title}\n`);
    });
  }
  process.stdout.write('Firmware images to try (choose one in the flash dialog):\n');
  for (const image of images) process.stdout.write(`  ${image.path}\n      ${image.description}\n`);

  process.stdout.write(`Firmware library (signed by trusted demo key ${library.keyId}):\n  ${library.folder}\n`);
  const station = await startStation({ service: engine });
  process.stdout.write(`\nConsole: ${station.url}\nPress Ctrl-C to stop.\n`);
  closeOnSignal(async () => {
    await station.close();
    await engine.close();
    await Promise.all(terminals.map((t) => t.close()));
  });
}

await demo().catch((err: unknown) => {
  const e = ZucError.from(err);
  process.stderr.write(`The demo could not start: ${e.code} ${e.entry.title}${e.detail ? `: ${e.detail}` : ''}\n${e.entry.remedy}\n`);
  process.exit(1);
});
