// Entry of the engine's Electron utility process (bundled to
// .build/desktop/engine-host.mjs). Deliberately no 'electron' import: the
// parent port is reached through `process.parentPort`.
import { defaultDataDir } from '../data-dir';
import { createEngine } from '../index';
import { hostEngine } from './engine-host';
import { parentPortOf } from './parent-port';

const port = parentPortOf(process);
if (!port) {
  process.stderr.write('zuc: the engine host runs only inside the desktop app (an Electron utility process).\n');
  process.exit(2);
} else {
  await hostEngine(port, async () => createEngine({ dataDir: defaultDataDir(), restoreDevices: true, discovery: true, pollHawkbit: true }), (code) => process.exit(code));
}
