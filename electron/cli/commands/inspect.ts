import { parseArgs } from 'node:util';
import path from 'node:path';
import { openPackage } from '../../engine/package';
import { E, ZucError } from '../../shared/errors';
import type { Command } from '../command';
import { formatBytes, withUsage } from './package-cli';

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'show an update package: manifest, signatures and key ids, payload table',
  usage: 'zuc inspect P.zup [--json]\n  reads the header, manifest and signatures only; `zuc verify` checks trust and payloads',
  async run(args, ctx) {
    const { values, positionals } = withUsage(this.usage, () => parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true }));
    if (positionals.length !== 1) throw new ZucError(E.BAD_ARGUMENTS, `one package file expected\nusage: ${this.usage}`);
    const file = path.resolve(ctx.cwd, positionals[0]!);
    const pkg = await openPackage(file);
    const m = pkg.manifest;
    if (values.json) {
      ctx.stdout.write(`${JSON.stringify({ file, size: pkg.source.size, manifest: m, signatures: pkg.signatures.map((s) => ({ keyId: s.keyId, algorithm: 'ed25519' })) }, null, 2)}\n`);
      return 0;
    }
    const lines = [
      `package        ${m.packageId}  (${m.type}, format ${m.formatVersion}, ${formatBytes(pkg.source.size)})`,
      `version        ${m.version}${m.baseVersion ? `  (delta from ${m.baseVersion})` : ''}`,
      `security       ${m.securityVersion}`,
      `models         ${m.models.join(', ')}`,
      `hw revisions   ${m.hwRevisions.join(', ')}`,
      `created        ${m.createdAt}`,
      `signatures     ${pkg.signatures.length === 0 ? 'NONE (unsigned)' : pkg.signatures.map((s) => `ed25519 key ${s.keyId}`).join('\n               ')}`,
      '',
      'partition          size    payload  encoding  sha256 (image)',
      ...m.partitions.map(
        (p) =>
          `${p.name.padEnd(12)} ${formatBytes(p.size).padStart(10)} ${formatBytes(p.payload.size).padStart(10)}  ${p.payload.encoding.padEnd(8)}  ${p.sha256.slice(0, 16)}…` +
          (p.source ? `\n${' '.repeat(13)}from ${formatBytes(p.source.size)} image ${p.source.sha256.slice(0, 16)}…` : ''),
      ),
    ];
    if (m.releaseNotes) lines.push('', 'release notes', ...m.releaseNotes.split('\n').map((l) => `  ${l}`));
    ctx.stdout.write(`${lines.join('\n')}\n`);
    if (pkg.signatures.length) ctx.stdout.write('\nEvery signature matches the manifest; run `zuc verify` to check the signers against the trust store.\n');
    return 0;
  },
};
