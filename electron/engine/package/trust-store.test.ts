import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair, rawPublicKey, writeKeyPair } from './keys';
import { loadTrustStore } from './trust-store';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'zuc-trust-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('loadTrustStore', () => {
  it('reads PEM and raw public keys and the revocation list, ignoring other files', async () => {
    const pemKey = generateKeyPair();
    const rawKey = generateKeyPair();
    await fs.writeFile(path.join(dir, 'release-2026.pem'), pemKey.publicKey.export({ format: 'pem', type: 'spki' }));
    await fs.writeFile(path.join(dir, 'release-2025.pub'), rawPublicKey(rawKey.publicKey));
    await fs.writeFile(path.join(dir, 'revoked.txt'), `# compromised laptop, 2025-03\n${rawKey.keyId.toUpperCase()}  # old release key\n\n`);
    await fs.writeFile(path.join(dir, 'README'), 'copy public keys here');
    const store = await loadTrustStore(dir);
    expect([...store.keys.keys()].sort()).toEqual([pemKey.keyId, rawKey.keyId].sort());
    expect([...store.revoked]).toEqual([rawKey.keyId]);
  });

  it('accepts the public key file written by writeKeyPair', async () => {
    const keysDir = path.join(dir, 'keys');
    const { publicKeyPath, keyId } = await writeKeyPair(keysDir);
    const trustDir = path.join(dir, 'trust');
    await fs.mkdir(trustDir);
    await fs.copyFile(publicKeyPath, path.join(trustDir, 'release.pem'));
    expect([...(await loadTrustStore(trustDir)).keys.keys()]).toEqual([keyId]);
  });

  it('treats a missing folder as an empty store', async () => {
    const store = await loadTrustStore(path.join(dir, 'absent'));
    expect(store.keys.size).toBe(0);
  });

  it('refuses a private key, a foreign key type, a bad raw key and a malformed revocation list', async () => {
    const cases: [string, string | Uint8Array][] = [
      ['oops.pem', generateKeyPair().privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()],
      ['rsa.pem', generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString()],
      ['garbage.pem', 'hello'],
      ['short.pub', new Uint8Array(31)],
      ['revoked.txt', 'not-a-key-id\n'],
    ];
    for (const [name, content] of cases) {
      const one = await fs.mkdtemp(path.join(dir, 'case-'));
      await fs.writeFile(path.join(one, name), content);
      await expect(loadTrustStore(one), name).rejects.toMatchObject({ code: 'ZUC-5023' });
    }
  });
});
