import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { firmwareImage, nextRelease } from '../../engine/delta/firmware-fixtures';
import { zuc } from './cli-test-kit';

const dir = mkdtempSync(join(tmpdir(), 'zuc-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string): string => join(dir, name);
const old = firmwareImage(61, 120_000);
const next = nextRelease(old, 62);
writeFileSync(at('old.bin'), old);
writeFileSync(at('new.bin'), next);

describe('zuc diff / zuc patch', () => {
  it('makes a zdelta patch, prints sizes and ratio, and patch rebuilds the new image', async () => {
    const diff = await zuc(['diff', 'old.bin', 'new.bin', 'p.zdelta'], { dataDir: dir, cwd: dir });
    expect(diff.status).toBe(0);
    expect(diff.stdout).toMatch(/zdelta patch p\.zdelta: .*bytes\), \d+\.\d% of the new image/);
    const patch = await zuc(['patch', 'old.bin', 'p.zdelta', 'out.bin'], { dataDir: dir, cwd: dir });
    expect(patch.status).toBe(0);
    expect(patch.stdout).toMatch(/SHA-256 [0-9a-f]{64} verified/);
    expect(readFileSync(at('out.bin')).equals(Buffer.from(next))).toBe(true);
  });

  it('writes BSDIFF40 that bspatch applies, and patch detects the format by itself', async () => {
    expect((await zuc(['diff', 'old.bin', 'new.bin', 'p.bsdiff', '--format', 'bsdiff40'], { dataDir: dir, cwd: dir })).status).toBe(0);
    execFileSync('bspatch', [at('old.bin'), at('bspatched.bin'), at('p.bsdiff')]);
    expect(readFileSync(at('bspatched.bin')).equals(Buffer.from(next))).toBe(true);
    const patch = await zuc(['patch', 'old.bin', 'p.bsdiff', 'out2.bin'], { dataDir: dir, cwd: dir });
    expect(patch.stdout).toMatch(/bsdiff40 patch/);
    expect(readFileSync(at('out2.bin')).equals(Buffer.from(next))).toBe(true);
  });

  it('refuses a patch for another image and a bad format name with their codes', async () => {
    await zuc(['diff', 'old.bin', 'new.bin', 'p2.zdelta'], { dataDir: dir, cwd: dir });
    const wrong = await zuc(['patch', 'new.bin', 'p2.zdelta', 'x.bin'], { dataDir: dir, cwd: dir });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/ZUC-5107/);
    const bad = await zuc(['diff', 'old.bin', 'new.bin', 'p3', '--format', 'vcdiff'], { dataDir: dir, cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/ZUC-1013/);
  });
});
