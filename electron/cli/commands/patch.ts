import path from 'node:path';
import { parseArgs } from 'node:util';
import { applyDelta, readDeltaHeader } from '../../engine/delta';
import { E, ZucError } from '../../shared/errors';
import type { Command } from '../command';
import { formatBytes, readImage, withUsage, writeFileAtomically } from './package-cli';

const USAGE = 'zuc patch OLD PATCH OUT\n' +
  '  applies a zdelta or BSDIFF40 patch (recognised by its first bytes) to OLD and writes OUT;\n' +
  '  a zdelta patch is refused unless OLD is the image it was made from, and OUT is checked against its SHA-256';

export const patchCommand: Command = {
  name: 'patch',
  summary: 'apply a binary delta (zdelta or BSDIFF40) to an image',
  usage: USAGE,
  async run(args, ctx) {
    const { positionals } = withUsage(USAGE, () => parseArgs({ args, allowPositionals: true, options: {} }));
    if (positionals.length !== 3) throw new ZucError(E.BAD_ARGUMENTS, `expected OLD PATCH OUT\nusage: ${USAGE}`);
    const [oldFile, patchFile, outFile] = positionals.map((p) => path.resolve(ctx.cwd, p)) as [string, string, string];
    const oldImage = await readImage(oldFile);
    const patch = await readImage(patchFile);
    const header = readDeltaHeader(patch);
    const started = performance.now();
    const result = applyDelta(oldImage, patch);
    const seconds = (performance.now() - started) / 1000;
    await writeFileAtomically(outFile, result);
    const checked = header.format === 'zdelta' ? `SHA-256 ${header.newSha256} verified` : 'BSDIFF40 carries no hash: compare the result yourself';
    ctx.stdout.write(`${path.basename(outFile)}: ${formatBytes(result.length)} (${result.length} bytes) from a ${header.format} patch in ${seconds.toFixed(2)} s; ${checked}\n`);
    return 0;
  },
};
