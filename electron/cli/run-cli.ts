import { ZucError } from '../shared/errors';
import type { CliContext } from './command';
import { COMMANDS } from './commands';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'zuc — ZTE Update Console, command line',
    '',
    'usage: zuc COMMAND [ARGS] (zuc COMMAND --help for details)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
  ].join('\n');
}

/** Runs one command line and returns the exit status. Never throws. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout.write(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    ctx.stderr.write(`zuc: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    ctx.stdout.write(`usage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, ctx);
  } catch (err) {
    const e = ZucError.from(err);
    ctx.stderr.write(`error ${e.code}: ${e.entry.title}\n${e.detail ? `  ${e.detail}\n` : ''}  remedy: ${e.entry.remedy}\n`);
    return e.code.startsWith('ZUC-1') ? 2 : 1;
  }
}
