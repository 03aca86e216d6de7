import { createEngine, type Engine } from '../engine';
import { E, ZucError } from '../shared/errors';
import { startStation, type RunningStation } from './station';
import { parseStationArgs, STATION_USAGE, type StationArgs } from './station-args';
import { closeOnSignal } from './shutdown';

/** Exit status for arguments that were not understood, as the CLI uses. */
const EXIT_BAD_ARGUMENTS = 2;
const EXIT_FAILED = 1;

function fail(err: unknown, status: number): never {
  const e = ZucError.from(err);
  process.stderr.write(`${e.code} ${e.entry.title}${e.detail ? `: ${e.detail}` : ''}\n${e.entry.remedy}\n`);
  process.exit(status);
}

/** A port another program holds, or one below 1024 without the right, is the user's --port to change. */
async function listen(engine: Engine, port: number): Promise<RunningStation> {
  try {
    return await startStation({ service: engine, port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new ZucError(E.BAD_ARGUMENTS, `--port ${port} cannot be used (${code}); choose another port or 0 for any free one`);
    throw err;
  }
}

async function main(): Promise<void> {
  let args: StationArgs;
  try {
    args = parseStationArgs(process.argv.slice(2));
  } catch (err) {
    fail(err, EXIT_BAD_ARGUMENTS);
  }
  if (args.help) {
    process.stdout.write(`${STATION_USAGE}\nServes the console on 127.0.0.1 (port 0 = any free one) for the terminals at the given addresses.\n`);
    return;
  }
  const engine = createEngine({ dataDir: args.dataDir, restoreDevices: true, discovery: true, pollHawkbit: true });
  try {
    for (const address of args.connect) {
      // A terminal that does not answer stays listed as offline with its error; the station still starts.
      await engine.addDevice({ address }).catch((err: unknown) => {
        const e = ZucError.from(err);
        process.stderr.write(`${address}: ${e.code} ${e.entry.title}${e.detail ? `: ${e.detail}` : ''}\n`);
      });
    }
    const station = await listen(engine, args.port);
    process.stdout.write(`Console: ${station.url}\n`);
    closeOnSignal(async () => {
      await station.close();
      await engine.close();
    });
  } catch (err) {
    await engine.close();
    fail(err, ZucError.from(err).code === E.BAD_ARGUMENTS.code ? EXIT_BAD_ARGUMENTS : EXIT_FAILED);
  }
}

await main().catch((err: unknown) => fail(err, EXIT_FAILED));
