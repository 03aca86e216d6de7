import { sign, verify } from 'node:crypto';
import { E, ZucError } from '../../shared/errors';
import { ED25519_PUBLIC_KEY_BYTES, keyIdOfRaw, publicKeyFromRaw, rawPublicKey, type SigningKey } from './keys';
import { ALGORITHM_ED25519, MAX_SIGNATURES, SIGNATURE_BLOCK_HEAD_BYTES, SIGNATURE_ENTRY_BYTES } from './limits';

const SIGNATURE_BYTES = 64;
const PUBLIC_KEY_OFFSET = 4;
const SIGNATURE_OFFSET = PUBLIC_KEY_OFFSET + ED25519_PUBLIC_KEY_BYTES;

/** One signature of the manifest, as carried in the container. */
export interface PackageSignature {
  keyId: string;
  publicKey: Uint8Array;
  signature: Uint8Array;
}

export function signatureBlockLength(count: number): number {
  return SIGNATURE_BLOCK_HEAD_BYTES + count * SIGNATURE_ENTRY_BYTES;
}

/** Signs the exact manifest bytes with each key. */
export function signManifest(manifestBytes: Uint8Array, keys: readonly SigningKey[]): PackageSignature[] {
  return keys.map((key) => {
    const publicKey = rawPublicKey(key.publicKey);
    return { keyId: keyIdOfRaw(publicKey), publicKey, signature: new Uint8Array(sign(null, manifestBytes, key.privateKey)) };
  });
}

export function encodeSignatureBlock(signatures: readonly PackageSignature[]): Uint8Array {
  const block = new Uint8Array(signatureBlockLength(signatures.length));
  const view = new DataView(block.buffer);
  view.setUint16(0, signatures.length);
  signatures.forEach((s, i) => {
    const at = SIGNATURE_BLOCK_HEAD_BYTES + i * SIGNATURE_ENTRY_BYTES;
    block[at] = ALGORITHM_ED25519;
    block.set(s.publicKey, at + PUBLIC_KEY_OFFSET);
    block.set(s.signature, at + SIGNATURE_OFFSET);
  });
  return block;
}

function malformed(detail: string): ZucError {
  return new ZucError(E.PACKAGE_SIGNATURE_BLOCK_MALFORMED, detail);
}

export function decodeSignatureBlock(block: Uint8Array): PackageSignature[] {
  if (block.length < SIGNATURE_BLOCK_HEAD_BYTES) throw malformed(`${block.length} bytes, shorter than its ${SIGNATURE_BLOCK_HEAD_BYTES}-byte head`);
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const count = view.getUint16(0);
  if (view.getUint16(2) !== 0) throw malformed('reserved bytes of the block head are not zero');
  if (count > MAX_SIGNATURES) throw malformed(`${count} signatures, at most ${MAX_SIGNATURES} are allowed`);
  if (block.length !== signatureBlockLength(count)) throw malformed(`${block.length} bytes for ${count} signatures, expected ${signatureBlockLength(count)}`);
  const signatures: PackageSignature[] = [];
  for (let i = 0; i < count; i++) {
    const at = SIGNATURE_BLOCK_HEAD_BYTES + i * SIGNATURE_ENTRY_BYTES;
    if (block[at] !== ALGORITHM_ED25519) throw malformed(`signature ${i + 1}: unknown algorithm ${block[at]}`);
    if (block[at + 1] !== 0 || block[at + 2] !== 0 || block[at + 3] !== 0) throw malformed(`signature ${i + 1}: reserved bytes are not zero`);
    const publicKey = block.slice(at + PUBLIC_KEY_OFFSET, at + SIGNATURE_OFFSET);
    const keyId = keyIdOfRaw(publicKey);
    if (signatures.some((s) => s.keyId === keyId)) throw malformed(`key ${keyId} signs twice`);
    signatures.push({ keyId, publicKey, signature: block.slice(at + SIGNATURE_OFFSET, at + SIGNATURE_OFFSET + SIGNATURE_BYTES) });
  }
  return signatures;
}

/** Whether the signature is valid for these manifest bytes under its embedded key. Trust is decided elsewhere. */
export function signatureMatches(manifestBytes: Uint8Array, s: PackageSignature): boolean {
  try {
    return verify(null, manifestBytes, publicKeyFromRaw(s.publicKey), s.signature);
  } catch {
    // A public key that is not a valid curve point cannot have signed anything.
    return false;
  }
}
