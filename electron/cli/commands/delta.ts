import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSigningKey, openPackage, packDelta, type SigningKey } from '../../engine/package';
import { E, ZucError } from '../../shared/errors';
import type { Command } from '../command';
import { formatBytes, progressLine, requireString, withUsage, writeFileAtomically } from './package-cli';

export const deltaCommand: Command = {
  name: 'delta',
  summary: 'build a signed delta package from two full packages (full when a delta does not pay)',
  usage: [
    'zuc delta --key KEY.pem [--key KEY2.pem] OLD.zup NEW.zup --out D.zup [--package-id ID]',
    '  each partition ships as a delta only when the delta is below 90% of its full payload;',
    '  otherwise it keeps the full payload, and with no delta at all the result is a full package',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = withUsage(this.usage, () =>
      parseArgs({
        args,
        options: { key: { type: 'string', multiple: true }, out: { type: 'string' }, unsigned: { type: 'boolean' }, 'package-id': { type: 'string' } },
        allowPositionals: true,
        strict: true,
      }),
    );
    if (positionals.length !== 2) throw new ZucError(E.BAD_ARGUMENTS, `OLD.zup and NEW.zup expected\nusage: ${this.usage}`);
    const keyFiles = values.key ?? [];
    if (keyFiles.length === 0 && !values.unsigned) throw new ZucError(E.BAD_ARGUMENTS, `--key is required (or --unsigned for development)\nusage: ${this.usage}`);
    const out = path.resolve(ctx.cwd, requireString(values.out, '--out D.zup', this.usage));
    const keys: SigningKey[] = [];
    for (const file of keyFiles) keys.push(await loadSigningKey(path.resolve(ctx.cwd, file)));
    const oldPkg = await openPackage(path.resolve(ctx.cwd, positionals[0]!));
    const newPkg = await openPackage(path.resolve(ctx.cwd, positionals[1]!));

    const progress = progressLine(ctx);
    const result = await packDelta(oldPkg, newPkg, {
      keys,
      ...(values['package-id'] ? { packageId: values['package-id'] } : {}),
      onProgress: (p) => progress.update(`delta ${p.partition} (${p.index + 1}/${p.count}) ${Math.floor(p.fraction * 100)}%`),
    });
    progress.done();
    await writeFileAtomically(out, result.bytes);

    const { manifest, decisions } = result;
    if (keys.length === 0) ctx.stderr.write('WARNING: this package is UNSIGNED. Consoles refuse it unless started with --allow-unsigned.\n');
    if (manifest.type === 'full') {
      ctx.stderr.write(`No partition is worth a delta: wrote a FULL package (${newPkg.manifest.version}) instead.\n`);
    }
    ctx.stdout.write(`${out}: ${manifest.packageId} ${manifest.baseVersion ?? '(any)'} → ${manifest.version} (${manifest.type}, ${formatBytes(result.bytes.length)}; the new full package is ${formatBytes(newPkg.source.size)})\n`);
    for (const d of decisions) ctx.stdout.write(`  ${d.partition.padEnd(12)} ${d.encoding.padEnd(7)} ${d.reason}\n`);
    return 0;
  },
};
