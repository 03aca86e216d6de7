import { parseArgs } from 'node:util';
import path from 'node:path';
import { buildCatalogIndex, compareVersions, indexLibrary, type LibraryIndex, type LibraryPackage } from '../../engine/sources';
import { E, ZucError } from '../../shared/errors';
import type { CliContext, Command } from '../command';
import { formatBytes, withUsage, writeFileAtomically } from './package-cli';

const USAGE = `zuc library index DIR [--json]
  what the firmware library in DIR offers, per model: hardware revisions, version,
  full or delta (with its base), size and signing key ids; .zup files that cannot
  be read are listed with their error code. Reads manifests only; \`zuc verify\`
  checks trust and payloads. Exit status 1 when a file was refused.
zuc library catalog DIR [--out FILE]
  writes the HTTP catalog index for DIR (default DIR/index.json, format in
  docs/update-sources.md), so the folder can be served as it is by any web
  server. Nothing is written while a .zup file in DIR is refused.`;

function packageJson(p: LibraryPackage) {
  const m = p.manifest;
  return {
    file: p.relativePath,
    packageId: m.packageId,
    models: m.models,
    hwRevisions: m.hwRevisions,
    version: m.version,
    type: m.type,
    ...(m.baseVersion ? { baseVersion: m.baseVersion } : {}),
    ...(p.baseSha256 ? { baseSha256: p.baseSha256 } : {}),
    securityVersion: m.securityVersion,
    size: p.size,
    keyIds: p.keyIds,
  };
}

const typeRank = (p: LibraryPackage): number => (p.manifest.type === 'full' ? 0 : 1);

/** One section per model, newest version first, full before delta. */
function byModel(index: LibraryIndex): Map<string, LibraryPackage[]> {
  const models = new Map<string, LibraryPackage[]>();
  for (const p of index.packages) for (const model of p.manifest.models) models.set(model, [...(models.get(model) ?? []), p]);
  for (const list of models.values()) list.sort((a, b) => compareVersions(b.manifest.version, a.manifest.version) || typeRank(a) - typeRank(b));
  return new Map([...models].sort(([a], [b]) => a.localeCompare(b)));
}

function refusedLines(index: LibraryIndex): string[] {
  return ['refused', ...index.refused.map((r) => `  ${r.relativePath}  ${r.error.code} ${r.error.entry.title}${r.error.detail ? `\n    ${r.error.detail}` : ''}`)];
}

function humanReport(index: LibraryIndex): string {
  const lines = [`library ${index.dir}: ${index.packages.length} package(s), ${index.refused.length} refused, ${index.ignored.length} other file(s)`];
  for (const [model, packages] of byModel(index)) {
    lines.push('', model);
    for (const p of packages) {
      const m = p.manifest;
      const kind = m.type === 'delta' ? `delta from ${m.baseVersion ?? '?'}${p.baseSha256 ? ` (base ${p.baseSha256.slice(0, 12)}…)` : ''}` : 'full';
      const keys = p.keyIds.length ? `keys ${p.keyIds.join(', ')}` : 'UNSIGNED';
      lines.push(`  ${m.version.padEnd(10)} hw ${m.hwRevisions.join(',').padEnd(10)} ${kind.padEnd(34)} ${formatBytes(p.size).padStart(10)}  ${keys}  ${p.relativePath}`);
    }
  }
  if (index.refused.length) lines.push('', ...refusedLines(index));
  return `${lines.join('\n')}\n`;
}

export const libraryCommand: Command = {
  name: 'library',
  summary: 'show what a firmware library offers per model; write its HTTP catalog index',
  usage: USAGE,
  async run(args, ctx) {
    const { values, positionals } = withUsage(USAGE, () => parseArgs({ args, options: { json: { type: 'boolean' }, out: { type: 'string' } }, allowPositionals: true, strict: true }));
    const [action, dir, ...rest] = positionals;
    if ((action !== 'index' && action !== 'catalog') || !dir || rest.length) throw new ZucError(E.BAD_ARGUMENTS, `expected \`library index DIR\` or \`library catalog DIR\`\nusage: ${USAGE}`);
    const index = await indexLibrary(path.resolve(ctx.cwd, dir));
    if (action === 'catalog') return writeCatalog(index, values.out === undefined ? path.join(index.dir, 'index.json') : path.resolve(ctx.cwd, values.out), ctx);
    if (values.json) {
      const report = {
        dir: index.dir,
        packages: index.packages.map(packageJson),
        refused: index.refused.map((r) => ({ file: r.relativePath, ...r.error.toJSON() })),
        ignored: index.ignored,
      };
      ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      ctx.stdout.write(humanReport(index));
    }
    return index.refused.length ? 1 : 0;
  },
};

async function writeCatalog(index: LibraryIndex, out: string, ctx: CliContext): Promise<number> {
  if (index.refused.length) {
    ctx.stderr.write(`${refusedLines(index).join('\n')}\nno catalog written: fix or remove the refused files first\n`);
    return 1;
  }
  const catalog = await buildCatalogIndex(index);
  await writeFileAtomically(out, new TextEncoder().encode(`${JSON.stringify(catalog, null, 2)}\n`));
  ctx.stdout.write(`${out}: ${catalog.packages.length} package(s); serve ${index.dir} as it is, index URL …/${path.relative(index.dir, out).split(path.sep).join('/')}\n`);
  return 0;
}
