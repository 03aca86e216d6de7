import { canonicalJsonBytes } from './canonical-json';
import { encodeHeader } from './container-header';
import { E, ZucError } from '../../shared/errors';
import { parseManifest, type Manifest } from './manifest-schema';
import { encodeSignatureBlock, signManifest, type PackageSignature } from './signature-block';
import type { SigningKey } from './keys';

/** Lays out header, manifest bytes, signature block and payloads. No validation: `sealPackage` is the checked way in. */
export function assembleContainer(manifestBytes: Uint8Array, signatures: readonly PackageSignature[], payloads: readonly Uint8Array[]): Uint8Array {
  const block = encodeSignatureBlock(signatures);
  const payloadLength = payloads.reduce((n, p) => n + p.length, 0);
  const header = encodeHeader({ manifestLength: manifestBytes.length, signatureBlockLength: block.length, payloadLength });
  const out = new Uint8Array(header.length + manifestBytes.length + block.length + payloadLength);
  let at = 0;
  for (const part of [header, manifestBytes, block, ...payloads]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Validates a manifest exactly as a reader will, signs its canonical bytes
 * with every key (none: an unsigned development package) and builds the
 * container. A manifest the reader would refuse is never written.
 */
export function sealPackage(manifest: Manifest, payloads: readonly Uint8Array[], keys: readonly SigningKey[]): Uint8Array {
  let checked: Manifest;
  try {
    checked = parseManifest(manifest);
  } catch (err) {
    throw new ZucError(E.PACKAGE_INPUT_INVALID, ZucError.from(err).detail);
  }
  const manifestBytes = canonicalJsonBytes(checked);
  return assembleContainer(manifestBytes, signManifest(manifestBytes, keys), payloads);
}
