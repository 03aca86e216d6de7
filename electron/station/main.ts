import { createEngine } from '../engine';
import { ZucError } from '../shared/errors';
import { startStation } from './station';
import { parseStationArgs } from './station-args';
import { closeOnSignal } from './shutdown';

/** Exit status for arguments that were not understood, as the CLI uses. */
const EXIT_BAD_ARGUMENTS = 2;

async function main(): Promise<void> {
  let args;
  try {
    args = parseStationArgs(process.argv.slice(2));
  } catch (err) {
    const e = ZucError.from(err);
    process.stderr.write(`${e.code} ${e.entry.title}: ${e.detail}\n`);
    process.exit(EXIT_BAD_ARGUMENTS);
  }
  const engine = createEngine({ dataDir: args.dataDir, restoreDevices: true });
  for (const address of args.connect) {
    // A terminal that does not answer stays listed as offline with its error; the station still starts.
    await engine.addDevice({ address }).catch((err: unknown) => {
      const e = ZucError.from(err);
      process.stderr.write(`${address}: ${e.code} ${e.entry.title}${e.detail ? `: ${e.detail}` : ''}\n`);
    });
  }
  const station = await startStation({ service: engine, port: args.port });
  process.stdout.write(`Console: ${station.url}\n`);
  closeOnSignal(async () => {
    await station.close();
    await engine.close();
  });
}

await main();
