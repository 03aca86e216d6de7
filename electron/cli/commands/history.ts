import { parseArgs } from 'node:util';
import type { JobReport } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import { createEngine } from '../../engine';
import type { Command } from '../command';
import { DATA_DIR_OPTION, dataDirFrom, parsedArgs } from './command-args';

const USAGE = 'zuc history [--json] [--limit N] [--data-dir DIR]\n  lists past jobs, newest first (default 20)';
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 10_000;

function row(r: JobReport): string {
  const when = r.startedAt.replace('T', ' ').slice(0, 19);
  const versions = `${r.fromVersion || '?'} -> ${r.toVersion || '?'}`;
  return [when, r.result.padEnd(11), r.code, r.address.padEnd(24), (r.model || '?').padEnd(10), versions.padEnd(22), `${(r.durationMs / 1000).toFixed(1)} s`.padStart(8), r.imageName].join('  ');
}

export const historyCommand: Command = {
  name: 'history',
  summary: 'list past jobs from the local database',
  usage: USAGE,
  async run(args, ctx) {
    const { values, positionals } = parsedArgs(() => parseArgs({ args, options: { json: { type: 'boolean' }, limit: { type: 'string' }, ...DATA_DIR_OPTION }, allowPositionals: true, strict: true }), USAGE);
    if (positionals.length) throw new ZucError(E.BAD_ARGUMENTS, `unexpected '${positionals[0]}'\nusage: ${USAGE}`);
    const limit = values.limit === undefined ? DEFAULT_LIMIT : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new ZucError(E.BAD_ARGUMENTS, `--limit takes a whole number from 1 to ${MAX_LIMIT}`);
    const engine = createEngine({ dataDir: dataDirFrom(values['data-dir'], ctx) });
    try {
      const reports = await engine.listHistory({ limit });
      if (values.json) ctx.stdout.write(JSON.stringify(reports, null, 2) + '\n');
      else if (reports.length === 0) ctx.stdout.write('No jobs yet.\n');
      else ctx.stdout.write(reports.map(row).join('\n') + '\n');
      return 0;
    } finally {
      await engine.close();
    }
  },
};
