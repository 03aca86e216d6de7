import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyIdOf, loadSigningKey, writeKeyPair } from './keys';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zuc-keys-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('signing keys', () => {
  it('writes a key pair the owner alone can read, and loads it back with the same key id', async () => {
    const written = await writeKeyPair(path.join(dir, 'release'));
    expect(written.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect((await fs.stat(written.privateKeyPath)).mode & 0o077).toBe(0);
    const key = await loadSigningKey(written.privateKeyPath);
    expect(key.keyId).toBe(written.keyId);
    expect(keyIdOf(key.publicKey)).toBe(written.keyId);
  });

  it('never overwrites an existing key', async () => {
    const first = await writeKeyPair(dir);
    await expect(writeKeyPair(dir)).rejects.toMatchObject({ code: 'ZUC-5029' });
    expect((await loadSigningKey(first.privateKeyPath)).keyId).toBe(first.keyId);
  });

  it('refuses a missing file, a public key and a non-Ed25519 private key', async () => {
    await expect(loadSigningKey(path.join(dir, 'none.pem'))).rejects.toMatchObject({ code: 'ZUC-5024' });
    const { publicKeyPath } = await writeKeyPair(dir);
    await expect(loadSigningKey(publicKeyPath)).rejects.toMatchObject({ code: 'ZUC-5024' });
    const rsa = path.join(dir, 'rsa.pem');
    await fs.writeFile(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
    await expect(loadSigningKey(rsa)).rejects.toMatchObject({ code: 'ZUC-5024' });
  });
});
