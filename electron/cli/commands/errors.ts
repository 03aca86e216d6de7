import { ERROR_CATALOG, E, lookupError, ZucError, type ErrorEntry } from '../../shared/errors';
import { catalogToMarkdown } from '../../shared/errors/catalog-markdown';
import type { Command } from '../command';

function describe(e: ErrorEntry): string {
  return [
    `${e.code}  ${e.title}`,
    `  cause:     ${e.cause}`,
    `  remedy:    ${e.remedy}`,
    `  retryable: ${e.retryable ? 'yes' : 'no'}`,
    `  FUMO:      ${e.fumo}`,
    `  TR-069:    ${e.tr069}`,
    '',
  ].join('\n');
}

export const errorsCommand: Command = {
  name: 'errors',
  summary: 'explain an error code, or list the whole catalog',
  usage: 'zuc errors [CODE] [--json | --markdown]\n  CODE  e.g. ZUC-4002 or 4002; without it every entry is listed',
  async run(args, ctx) {
    const json = args.includes('--json');
    const markdown = args.includes('--markdown');
    const codes = args.filter((a) => a !== '--json' && a !== '--markdown');
    if (codes.some((a) => a.startsWith('-')) || codes.length > 1) throw new ZucError(E.BAD_ARGUMENTS, this.usage);
    const entries = codes.length ? [lookupError(codes[0]!)] : ERROR_CATALOG;
    if (entries[0] === undefined) {
      ctx.stderr.write(`No error code ${codes[0]} in the catalog. Run 'zuc errors' for the list.\n`);
      return 2;
    }
    const list = entries as ErrorEntry[];
    if (markdown) {
      ctx.stdout.write(catalogToMarkdown(list));
      return 0;
    }
    ctx.stdout.write(json ? JSON.stringify(codes.length ? list[0] : list, null, 2) + '\n' : list.map(describe).join('\n'));
    return 0;
  },
};
