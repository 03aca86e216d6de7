import { E, ZucError } from '../shared/errors';

export interface StationArgs {
  port: number;
  dataDir: string | undefined;
  connect: string[];
  /** `--help`: print the usage and exit. */
  help: boolean;
}

export const STATION_USAGE = 'usage: tsx electron/station/main.ts [--port N] [--data-dir DIR] [--connect ADDR...] [--help]';

/** Parses the station's command line; `--connect` takes every following value up to the next option. */
export function parseStationArgs(argv: readonly string[]): StationArgs {
  const args: StationArgs = { port: 0, dataDir: undefined, connect: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new ZucError(E.BAD_ARGUMENTS, `${arg} needs a value. ${STATION_USAGE}`);
      return next;
    };
    if (arg === '--help' || arg === '-h') {
      args.help = true;
    } else if (arg === '--port') {
      const text = value();
      const port = Number(text);
      if (!/^\d+$/.test(text) || port > 65_535) throw new ZucError(E.BAD_ARGUMENTS, `--port '${text}' is not a port number (0..65535)`);
      args.port = port;
    } else if (arg === '--data-dir') {
      args.dataDir = value();
    } else if (arg === '--connect') {
      args.connect.push(value());
      while (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) args.connect.push(argv[++i]!);
    } else {
      throw new ZucError(E.BAD_ARGUMENTS, `unknown argument '${arg}'. ${STATION_USAGE}`);
    }
  }
  return args;
}
