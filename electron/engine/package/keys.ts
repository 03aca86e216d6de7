import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { E, ZucError } from '../../shared/errors';

export const ED25519_PUBLIC_KEY_BYTES = 32;
/** File names `writeKeyPair` uses inside its folder. */
export const PRIVATE_KEY_FILE = 'signing.key.pem';
export const PUBLIC_KEY_FILE = 'signing.pub.pem';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** First 16 hex digits of the SHA-256 of the raw public key. */
  keyId: string;
}

/** The 32 raw bytes of an Ed25519 public key. */
export function rawPublicKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not an Ed25519 public key');
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== ED25519_PUBLIC_KEY_BYTES) throw new Error(`an Ed25519 public key has ${ED25519_PUBLIC_KEY_BYTES} bytes, not ${raw.length}`);
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

export function keyIdOfRaw(raw: Uint8Array): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

export function keyIdOf(publicKey: KeyObject): string {
  return keyIdOfRaw(rawPublicKey(publicKey));
}

function isEd25519(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ed25519';
}

export function generateKeyPair(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

export function signingKeyFromPem(pem: string, where = 'key'): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new ZucError(E.PACKAGE_SIGNING_KEY_INVALID, `${where}: not a private key in PEM`);
  }
  if (!isEd25519(privateKey)) throw new ZucError(E.PACKAGE_SIGNING_KEY_INVALID, `${where}: a ${privateKey.asymmetricKeyType} key, not Ed25519`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** Reads a private key written by `writeKeyPair` (or any PKCS#8 Ed25519 PEM). */
export async function loadSigningKey(file: string): Promise<SigningKey> {
  let pem: string;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile() || stat.size > 64 * 1024) throw new Error('not a small regular file');
    pem = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new ZucError(E.PACKAGE_SIGNING_KEY_INVALID, `${file}: ${(err as Error).message}`);
  }
  return signingKeyFromPem(pem, file);
}

/**
 * Writes a key pair into `dir` (created if missing): the private key readable
 * by the owner only, the public key for trust stores. Existing files are never
 * overwritten: losing a signing key is worse than a refused command.
 */
export async function writeKeyPair(dir: string, key: SigningKey = generateKeyPair()): Promise<{ privateKeyPath: string; publicKeyPath: string; keyId: string }> {
  const privateKeyPath = path.join(dir, PRIVATE_KEY_FILE);
  const publicKeyPath = path.join(dir, PUBLIC_KEY_FILE);
  const privatePem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicPem = key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  try {
    await fs.mkdir(dir, { recursive: true });
    for (const file of [privateKeyPath, publicKeyPath]) {
      const exists = await fs.access(file, fsConstants.F_OK).then(() => true, () => false);
      if (exists) throw new Error(`${file} already exists; keys are never overwritten`);
    }
    await fs.writeFile(privateKeyPath, privatePem, { mode: 0o600, flag: 'wx' });
    await fs.writeFile(publicKeyPath, publicPem, { mode: 0o644, flag: 'wx' });
  } catch (err) {
    throw new ZucError(E.PACKAGE_WRITE_FAILED, (err as Error).message);
  }
  return { privateKeyPath, publicKeyPath, keyId: key.keyId };
}
