import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../command';
import { runCli } from '../run-cli';

let dir: string;

async function zuc(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { ZUC_DATA_DIR: path.join(dir, 'data') },
    cwd: dir,
    interrupted: new Promise(() => {}),
  };
  const status = await runCli(argv, ctx);
  return { status, stdout, stderr };
}

const manifestInput = {
  packageId: 'mf286d-b04',
  models: ['MF286D'],
  hwRevisions: ['A1'],
  version: 'B04',
  securityVersion: 3,
  releaseNotes: 'Fixes the LTE band 20 drop.',
};

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zuc-cli-pkg-'));
  await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifestInput));
  const image = new Uint8Array(64 * 1024).map((_, i) => (i * 7) & 0xff);
  await fs.writeFile(path.join(dir, 'firmware.bin'), image);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('zuc keygen, pack, verify, inspect', () => {
  it('signs a package that verifies against a trust store holding the public key', async () => {
    const keygen = await zuc('keygen', '--out', 'keys');
    expect(keygen.status).toBe(0);
    const keyId = /key id\s+([0-9a-f]{16})/.exec(keygen.stdout)?.[1];
    expect(keyId).toBeDefined();
    expect((await zuc('keygen', '--out', 'keys')).status).toBe(1);

    const pack = await zuc('pack', '--key', 'keys/signing.key.pem', '--manifest', 'manifest.json', '--out', 'p.zup', 'firmware.bin');
    expect(pack.stderr).toBe('');
    expect(pack.status).toBe(0);
    expect(pack.stdout).toContain('firmware');

    const untrusted = await zuc('verify', 'p.zup', '--trust', 'trust');
    expect(untrusted.status).toBe(1);
    expect(untrusted.stdout).toContain('ZUC-5002');

    await fs.mkdir(path.join(dir, 'trust'));
    await fs.copyFile(path.join(dir, 'keys/signing.pub.pem'), path.join(dir, 'trust/release.pem'));
    const ok = await zuc('verify', 'p.zup', '--trust', 'trust');
    expect(ok).toMatchObject({ status: 0 });
    expect(ok.stdout).toContain(`${keyId} (trusted)`);

    const json = await zuc('verify', 'p.zup', '--trust', 'trust', '--json', '--model', 'MF286D', '--hw-revision', 'A9');
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, trusted: true, problems: [{ code: 'ZUC-5017' }] });

    const downgrade = await zuc('verify', 'p.zup', '--trust', 'trust', '--model', 'MF286D', '--hw-revision', 'A1', '--security-version', '4');
    expect(downgrade.status).toBe(1);
    expect(downgrade.stdout).toContain('ZUC-5018');

    const inspect = await zuc('inspect', 'p.zup');
    expect(inspect.status).toBe(0);
    expect(inspect.stdout).toMatch(/package\s+mf286d-b04/);
    expect(inspect.stdout).toContain(`ed25519 key ${keyId}`);
    expect(inspect.stdout).toContain('Fixes the LTE band 20 drop.');
  });

  it('is refused, with exit status 1 and the catalogued code, when a byte of the package changes', async () => {
    const bytes = await fs.readFile(path.join(dir, 'p.zup'));
    bytes[bytes.length - 10]! ^= 0x20;
    await fs.writeFile(path.join(dir, 'bad.zup'), bytes);
    const result = await zuc('verify', 'bad.zup', '--trust', 'trust', '--json');
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).problems[0].code).toBe('ZUC-5014');
    const inspect = await zuc('inspect', 'firmware.bin');
    expect(inspect.status).toBe(1);
    expect(inspect.stderr).toContain('ZUC-5005');
  });

  it('builds unsigned packages only when asked, and verifies them only in development mode, with a warning', async () => {
    expect((await zuc('pack', '--manifest', 'manifest.json', '--out', 'u.zup', 'firmware.bin')).status).toBe(2);
    const pack = await zuc('pack', '--unsigned', '--manifest', 'manifest.json', '--out', 'u.zup', 'firmware.bin');
    expect(pack.status).toBe(0);
    expect(pack.stderr).toContain('UNSIGNED');
    const refused = await zuc('verify', 'u.zup', '--trust', 'trust');
    expect(refused.stdout).toContain('ZUC-5001');
    expect(refused.status).toBe(1);
    const dev = await zuc('verify', 'u.zup', '--trust', 'trust', '--allow-unsigned');
    expect(dev.status).toBe(0);
    expect(dev.stderr).toContain('DEVELOPMENT MODE');
  });

  it('builds a delta package from two full ones, and a full one when the delta does not pay', async () => {
    const oldImage = new Uint8Array(64 * 1024).map((_, i) => (i * 2654435761) >>> 24);
    const newImage = oldImage.slice();
    newImage.fill(7, 1000, 1100);
    await fs.writeFile(path.join(dir, 'old.bin'), oldImage);
    await fs.writeFile(path.join(dir, 'new.bin'), newImage);
    await fs.writeFile(path.join(dir, 'old.json'), JSON.stringify({ ...manifestInput, version: 'B03', packageId: 'mf286d-b03' }));
    expect((await zuc('pack', '--key', 'keys/signing.key.pem', '--manifest', 'old.json', '--out', 'old.zup', 'firmware=old.bin')).status).toBe(0);
    expect((await zuc('pack', '--key', 'keys/signing.key.pem', '--manifest', 'manifest.json', '--out', 'new.zup', 'firmware=new.bin')).status).toBe(0);
    const delta = await zuc('delta', '--key', 'keys/signing.key.pem', 'old.zup', 'new.zup', '--out', 'd.zup');
    expect(delta.status).toBe(0);
    expect(delta.stdout).toMatch(/B03 → B04 \(delta/);
    const verify = await zuc('verify', 'd.zup', '--trust', 'trust', '--json');
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, trusted: true });
    expect((await zuc('inspect', 'd.zup')).stdout).toMatch(/delta from B03/);
    expect((await zuc('verify', 'd.zup', '--trust', 'trust', '--source', 'old.bin')).status).toBe(0);
    const wrongBase = await zuc('verify', 'd.zup', '--trust', 'trust', '--source', 'new.bin');
    expect(wrongBase.status).toBe(1);
    expect(wrongBase.stdout).toContain('ZUC-5019');

    await fs.writeFile(path.join(dir, 'r1.bin'), randomBytes(32 * 1024));
    await fs.writeFile(path.join(dir, 'r2.bin'), randomBytes(32 * 1024));
    expect((await zuc('pack', '--key', 'keys/signing.key.pem', '--manifest', 'old.json', '--out', 'r1.zup', 'firmware=r1.bin')).status).toBe(0);
    expect((await zuc('pack', '--key', 'keys/signing.key.pem', '--manifest', 'manifest.json', '--out', 'r2.zup', 'firmware=r2.bin')).status).toBe(0);
    const same = await zuc('delta', '--key', 'keys/signing.key.pem', 'r1.zup', 'r2.zup', '--out', 'f.zup');
    expect(same.status).toBe(0);
    expect(same.stderr).toContain('FULL package');
  });

  it('reports bad arguments and bad input with their codes', async () => {
    expect((await zuc('verify')).status).toBe(2);
    expect((await zuc('pack', '--key', 'keys/signing.key.pem', '--manifest', 'manifest.json', '--out', 'x.zup', 'missing.bin')).stderr).toContain('ZUC-1001');
    await fs.writeFile(path.join(dir, 'extra.json'), JSON.stringify({ ...manifestInput, signedBy: 'me' }));
    const extra = await zuc('pack', '--key', 'keys/signing.key.pem', '--manifest', 'extra.json', '--out', 'x.zup', 'firmware.bin');
    expect(extra.status).toBe(1);
    expect(extra.stderr).toContain('ZUC-5025');
    const badName = await zuc('pack', '--key', 'keys/signing.key.pem', '--manifest', 'manifest.json', '--out', 'x.zup', '../etc=firmware.bin');
    expect(badName.stderr).toContain('ZUC-5025');
  });
});
