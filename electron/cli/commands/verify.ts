import { parseArgs } from 'node:util';
import path from 'node:path';
import { extractPayload, openPackage, verifyPackage, type PackageVerdict, type VerifyTarget } from '../../engine/package';
import { E, ZucError } from '../../shared/errors';
import { englishLogText } from '../../shared/job-log';
import type { Command } from '../command';
import { progressLine, readImage, requireString, trustDir, withUsage } from './package-cli';

function targetFrom(values: Record<string, string | boolean | (string | boolean)[] | undefined>, usage: string): VerifyTarget | undefined {
  const model = values.model;
  const hwRevision = values['hw-revision'];
  if (model === undefined && hwRevision === undefined) {
    if (values['security-version'] !== undefined || values['current-version'] !== undefined) {
      throw new ZucError(E.BAD_ARGUMENTS, `--security-version and --current-version need --model and --hw-revision\nusage: ${usage}`);
    }
    return undefined;
  }
  const target: VerifyTarget = {
    model: requireString(model, '--model', usage),
    hwRevision: requireString(hwRevision, '--hw-revision', usage),
  };
  const security = values['security-version'];
  if (typeof security === 'string') {
    if (!/^\d{1,10}$/.test(security)) throw new ZucError(E.BAD_ARGUMENTS, `--security-version must be a whole number, not '${security}'`);
    target.securityVersion = Number(security);
  }
  if (typeof values['current-version'] === 'string') target.currentVersion = values['current-version'];
  return target;
}

function verdictJson(file: string, verdict: PackageVerdict | null, thrown: ZucError | null): string {
  const problems = thrown ? [thrown] : (verdict?.problems ?? []);
  return `${JSON.stringify(
    {
      file,
      ok: !thrown && verdict?.ok === true,
      trusted: verdict?.trusted ?? false,
      signers: verdict?.signers ?? [],
      problems: problems.map((p) => p.toJSON()),
      warnings: (verdict?.warnings ?? []).map(englishLogText),
    },
    null,
    2,
  )}\n`;
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check an update package: signature, trusted key, payload hashes, compatibility',
  usage: [
    'zuc verify P.zup [--trust DIR] [--json] [--allow-unsigned] [--source IMAGE]',
    '           [--model M --hw-revision R [--security-version N] [--current-version V]]',
    '  --trust           trust store folder (default: trust/ in the user data folder)',
    '  --allow-unsigned  development only: accept unsigned and untrusted packages',
    '  --source IMAGE    for a delta package: also apply it to IMAGE and check the result',
    '  exit status 0 only when the package is valid and trusted (and fits the terminal given)',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = withUsage(this.usage, () => parseArgs({ args, options: {
        trust: { type: 'string' },
        json: { type: 'boolean' },
        'allow-unsigned': { type: 'boolean' },
        model: { type: 'string' },
        'hw-revision': { type: 'string' },
        'security-version': { type: 'string' },
        'current-version': { type: 'string' },
        source: { type: 'string' },
      }, allowPositionals: true, strict: true }));
    if (positionals.length !== 1) throw new ZucError(E.BAD_ARGUMENTS, `one package file expected\nusage: ${this.usage}`);
    const file = path.resolve(ctx.cwd, positionals[0]!);
    const target = targetFrom(values, this.usage);
    const progress = progressLine(ctx);
    let verdict: PackageVerdict | null = null;
    let thrown: ZucError | null = null;
    try {
      const pkg = await openPackage(file);
      const checked = await verifyPackage(pkg, {
        trustStore: trustDir(values.trust, ctx),
        allowUnsigned: values['allow-unsigned'] === true,
        checkImages: true,
        ...(target ? { target } : {}),
        onProgress: (done, total) => progress.update(`verifying ${Math.floor((100 * done) / Math.max(total, 1))}%`),
      });
      verdict = checked;
      if (typeof values.source === 'string' && checked.problems.length === 0) {
        const sourceImage = await readImage(path.resolve(ctx.cwd, values.source));
        for (const p of pkg.manifest.partitions.filter((x) => x.payload.encoding === 'delta')) {
          progress.update(`applying the delta of ${p.name}…`);
          await extractPayload(pkg, p.name, { sourceImage }).catch((err: unknown) => checked.problems.push(ZucError.from(err)));
        }
        checked.ok = checked.problems.length === 0;
      }
    } catch (err) {
      thrown = ZucError.from(err);
      // A broken trust store is the console's problem, not the package's: report it as such.
      if (!values.json && thrown.code === E.PACKAGE_TRUST_STORE_INVALID.code) throw thrown;
    } finally {
      progress.done();
    }
    for (const w of verdict?.warnings ?? []) ctx.stderr.write(`WARNING: ${englishLogText(w)}\n`);
    if (values.json) {
      ctx.stdout.write(verdictJson(file, verdict, thrown));
      return !thrown && verdict?.ok ? 0 : 1;
    }
    if (thrown) throw thrown;
    if (!verdict) return 1;
    const signers = verdict.signers.map((s) => `${s.keyId} (${s.status})`).join(', ') || 'none';
    if (verdict.ok) {
      ctx.stdout.write(`OK ${file}\n  signers: ${signers}\n`);
      return 0;
    }
    ctx.stdout.write(`REFUSED ${file}\n  signers: ${signers}\n`);
    for (const p of verdict.problems) ctx.stdout.write(`  ${p.code} ${p.entry.title}${p.detail ? `: ${p.detail}` : ''}\n`);
    return 1;
  },
};
