import { createPublicKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { E, ZucError } from '../../shared/errors';
import { ED25519_PUBLIC_KEY_BYTES, keyIdOf, publicKeyFromRaw } from './keys';

export const REVOCATION_LIST_FILE = 'revoked.txt';
const MAX_TRUST_FILE_BYTES = 64 * 1024;
const KEY_ID = /^[0-9a-f]{16}$/;

/** The public keys a console accepts signatures from, by key id, and the key ids it no longer accepts. */
export interface TrustStore {
  keys: ReadonlyMap<string, KeyObject>;
  revoked: ReadonlySet<string>;
}

export function trustStoreOf(publicKeys: readonly KeyObject[], revoked: readonly string[] = []): TrustStore {
  return { keys: new Map(publicKeys.map((k) => [keyIdOf(k), k])), revoked: new Set(revoked) };
}

function invalid(file: string, why: string): ZucError {
  return new ZucError(E.PACKAGE_TRUST_STORE_INVALID, `${file}: ${why}`);
}

function parsePemKey(file: string, text: string): KeyObject {
  if (text.includes('PRIVATE KEY')) throw invalid(file, 'is a private key; a trust store holds public keys only');
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch {
    throw invalid(file, 'is not a public key in PEM');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw invalid(file, `is a ${key.asymmetricKeyType} key, not Ed25519`);
  return key;
}

export function parseRevocationList(file: string, text: string): string[] {
  const ids: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const id = line.replace(/#.*/, '').trim().toLowerCase();
    if (!id) return;
    if (!KEY_ID.test(id)) throw invalid(file, `line ${i + 1}: ${JSON.stringify(line.slice(0, 40))} is not a key id (16 hex digits)`);
    ids.push(id);
  });
  return ids;
}

/**
 * Loads a trust store folder: `*.pem` public keys, `*.pub` raw 32-byte keys,
 * `revoked.txt`. A folder that does not exist is an empty store (every package
 * is then untrusted); a file that cannot be used is an error, never skipped.
 */
export async function loadTrustStore(dir: string): Promise<TrustStore> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { keys: new Map(), revoked: new Set() };
    throw invalid(dir, (err as Error).message);
  }
  const keys = new Map<string, KeyObject>();
  let revoked: string[] = [];
  for (const name of names) {
    const isPem = name.endsWith('.pem');
    const isRaw = name.endsWith('.pub');
    const isRevocation = name === REVOCATION_LIST_FILE;
    if (!isPem && !isRaw && !isRevocation) continue;
    const file = path.join(dir, name);
    let bytes: Buffer;
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) continue;
      if (stat.size > MAX_TRUST_FILE_BYTES) throw new Error(`${stat.size} bytes, too large for a key file`);
      bytes = await fs.readFile(file);
    } catch (err) {
      throw invalid(file, (err as Error).message);
    }
    if (isRevocation) {
      revoked = parseRevocationList(file, bytes.toString('utf8'));
      continue;
    }
    let key: KeyObject;
    if (isPem) {
      key = parsePemKey(file, bytes.toString('utf8'));
    } else {
      if (bytes.length !== ED25519_PUBLIC_KEY_BYTES) throw invalid(file, `${bytes.length} bytes, a raw Ed25519 public key has ${ED25519_PUBLIC_KEY_BYTES}`);
      try {
        key = publicKeyFromRaw(bytes);
      } catch {
        throw invalid(file, 'is not a valid Ed25519 public key');
      }
    }
    keys.set(keyIdOf(key), key);
  }
  return { keys, revoked: new Set(revoked) };
}

/** The trust store every front end uses by default: `trust/` in the user data folder. */
export function defaultTrustStoreDir(dataDir: string): string {
  return path.join(dataDir, 'trust');
}
