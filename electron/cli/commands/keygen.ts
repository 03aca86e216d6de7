import { parseArgs } from 'node:util';
import path from 'node:path';
import { writeKeyPair } from '../../engine/package';
import { E, ZucError } from '../../shared/errors';
import type { Command } from '../command';
import { withUsage, requireString } from './package-cli';

export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'create an Ed25519 key pair for signing update packages',
  usage: 'zuc keygen --out DIR\n  writes DIR/signing.key.pem (private, owner-only) and DIR/signing.pub.pem (copy it into trust stores)',
  async run(args, ctx) {
    const { values, positionals } = withUsage(this.usage, () => parseArgs({ args, options: { out: { type: 'string' } }, allowPositionals: true, strict: true }));
    if (positionals.length) throw new ZucError(E.BAD_ARGUMENTS, `unexpected ${positionals.join(' ')}\nusage: ${this.usage}`);
    const dir = path.resolve(ctx.cwd, requireString(values.out, '--out DIR', this.usage));
    const written = await writeKeyPair(dir);
    ctx.stdout.write(`key id      ${written.keyId}\nprivate key ${written.privateKeyPath}\npublic key  ${written.publicKeyPath}\n`);
    ctx.stderr.write('Keep the private key offline; copy only the public key into trust stores.\n');
    return 0;
  },
};
