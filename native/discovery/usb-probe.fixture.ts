import { DiscoveryRecorder } from './discovery-recorder';
import { loadSystemUsb, UsbWatcher } from './usb-watcher';

/** Run as its own process by usb-watcher.test.ts: watches the real `usb` module for a moment, then says whether the process is still alive. */
const seen = new DiscoveryRecorder();
const watcher = new UsbWatcher(loadSystemUsb(), seen);
const usable = await watcher.start();
// Long enough for a background hotplug start to fail, if anything started one.
await new Promise((resolve) => setTimeout(resolve, 500));
await watcher.stop();
process.stdout.write(`${JSON.stringify({ usable, problems: seen.problems.map((p) => p.code), alive: true })}\n`);
