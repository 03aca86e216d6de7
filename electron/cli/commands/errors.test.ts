import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG } from '../../shared/errors';
import { catalogToMarkdown } from '../../shared/errors/catalog-markdown';
import { runCli } from '../run-cli';

function capture() {
  const out = { stdout: '', stderr: '' };
  const ctx = {
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
    env: {},
    cwd: process.cwd(),
    interrupted: new Promise<void>(() => {}),
  };
  return { out, ctx };
}

describe('zuc errors', () => {
  it('explains one code with cause, remedy and the FUMO and TR-069 mapping', async () => {
    const { out, ctx } = capture();
    expect(await runCli(['errors', '4002'], ctx)).toBe(0);
    expect(out.stdout).toContain('ZUC-4002');
    expect(out.stdout).toMatch(/remedy: +The terminal runs its previous firmware/);
    expect(out.stdout).toMatch(/FUMO: +410/);
    expect(out.stdout).toMatch(/TR-069: +9010/);
  });

  it('prints one JSON object for a code and the whole list without one', async () => {
    const one = capture();
    expect(await runCli(['errors', 'ZUC-2002', '--json'], one.ctx)).toBe(0);
    expect(JSON.parse(one.out.stdout)).toMatchObject({ code: 'ZUC-2002', retryable: true, fumo: 410, tr069: 9017 });
    const all = capture();
    expect(await runCli(['errors', '--json'], all.ctx)).toBe(0);
    expect(JSON.parse(all.out.stdout)).toHaveLength(ERROR_CATALOG.length);
  });

  it('says so, with exit status 2, for a code that is not in the catalog', async () => {
    const { out, ctx } = capture();
    expect(await runCli(['errors', 'ZUC-8888'], ctx)).toBe(2);
    expect(out.stderr).toContain('No error code ZUC-8888');
  });

  it('keeps docs/error-catalog.md equal to the catalog', () => {
    const doc = readFileSync(new URL('../../../docs/error-catalog.md', import.meta.url), 'utf8');
    expect(doc, 'regenerate it: npx zuc errors --markdown > docs/error-catalog.md').toBe(catalogToMarkdown(ERROR_CATALOG));
  });
});
