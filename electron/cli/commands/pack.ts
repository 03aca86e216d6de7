import { parseArgs } from 'node:util';
import fs from 'node:fs/promises';
import path from 'node:path';
import { assignImages, loadSigningKey, packFull, parseManifestInput, type SigningKey } from '../../engine/package';
import { E, ZucError } from '../../shared/errors';
import type { Command } from '../command';
import { formatBytes, withUsage, progressLine, readImage, requireString, writeFileAtomically } from './package-cli';

const MAX_MANIFEST_INPUT_BYTES = 1024 * 1024;

async function readManifestInput(file: string): Promise<unknown> {
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_MANIFEST_INPUT_BYTES) throw new Error(`${stat.size} bytes, larger than a manifest input can be`);
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new ZucError(E.PACKAGE_INPUT_INVALID, `${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ZucError(E.PACKAGE_INPUT_INVALID, `${file}: not JSON (${(err as Error).message})`);
  }
}

export const packCommand: Command = {
  name: 'pack',
  summary: 'build and sign a full update package (.zup) from partition images',
  usage: [
    'zuc pack --key KEY.pem [--key KEY2.pem] --manifest M.json --out P.zup [NAME=]IMAGE…',
    '  --key       private key from `zuc keygen`; twice to sign with an old and a new key',
    '  --manifest  package description: packageId, models, hwRevisions, version, securityVersion,',
    '              releaseNotes?, createdAt?, partitions? (docs/package-format.md section 6)',
    '  --unsigned  development only: no key, a package only `--allow-unsigned` verifiers accept',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = withUsage(this.usage, () => parseArgs({ args, options: { key: { type: 'string', multiple: true }, manifest: { type: 'string' }, out: { type: 'string' }, unsigned: { type: 'boolean' } }, allowPositionals: true, strict: true }));
    const keyFiles = values.key ?? [];
    if (keyFiles.length === 0 && !values.unsigned) throw new ZucError(E.BAD_ARGUMENTS, `--key is required (or --unsigned for development)\nusage: ${this.usage}`);
    const manifestFile = path.resolve(ctx.cwd, requireString(values.manifest, '--manifest M.json', this.usage));
    const out = path.resolve(ctx.cwd, requireString(values.out, '--out P.zup', this.usage));

    const keys: SigningKey[] = [];
    for (const file of keyFiles) keys.push(await loadSigningKey(path.resolve(ctx.cwd, file)));
    const input = parseManifestInput(await readManifestInput(manifestFile), manifestFile);
    const assigned = assignImages(input, positionals);
    const images = [];
    for (const a of assigned) images.push({ name: a.name, image: await readImage(path.resolve(ctx.cwd, a.path)), encoding: a.encoding });

    const progress = progressLine(ctx);
    const { bytes, manifest } = packFull({
      keys,
      manifest: input,
      images,
      onProgress: (p) => progress.update(`packing ${p.partition} (${p.index + 1}/${p.count})…`),
    });
    progress.done();
    await writeFileAtomically(out, bytes);

    if (keys.length === 0) ctx.stderr.write('WARNING: this package is UNSIGNED. Consoles refuse it unless started with --allow-unsigned.\n');
    ctx.stdout.write(`${out}: ${manifest.packageId} ${manifest.version} (full, ${formatBytes(bytes.length)})\n`);
    for (const p of manifest.partitions) {
      ctx.stdout.write(`  ${p.name.padEnd(12)} ${formatBytes(p.size).padStart(10)} → ${formatBytes(p.payload.size).padStart(10)} ${p.payload.encoding}\n`);
    }
    if (keys.length) ctx.stdout.write(`  signed by ${keys.map((k) => k.keyId).join(', ')}\n`);
    return 0;
  },
};
