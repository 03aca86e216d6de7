import { E, ZucError } from '../../shared/errors';
import { bytesSource, fileSource, type ByteSource } from './byte-source';
import { canonicalJson } from './canonical-json';
import { decodeHeader, type ContainerHeader } from './container-header';
import { HEADER_BYTES } from './limits';
import { parseManifest, type Manifest, type Partition } from './manifest-schema';
import { decodeSignatureBlock, signatureMatches, type PackageSignature } from './signature-block';

/** A package whose header, signatures and manifest have been read and checked; payloads stay where they are. */
export interface OpenedPackage {
  header: ContainerHeader;
  manifest: Manifest;
  /** The exact signed bytes. */
  manifestBytes: Uint8Array;
  /** Every signature is mathematically valid over `manifestBytes`; whether a signer is trusted is `verifyPackage`'s call. */
  signatures: PackageSignature[];
  /** Offset of the payload area in the container. */
  payloadAreaOffset: number;
  source: ByteSource;
}

function parseJson(bytes: Uint8Array, name: string): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ZucError(E.PACKAGE_MANIFEST_MALFORMED, `${name}: the manifest is not UTF-8`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
    if (canonicalJson(value) !== text) throw new ZucError(E.PACKAGE_MANIFEST_MALFORMED, `${name}: the manifest is JSON but not canonical (sorted keys, no whitespace, no duplicates)`);
  } catch (err) {
    if (err instanceof ZucError) throw err;
    // SyntaxError, or RangeError from absurd nesting: either way not a manifest.
    throw new ZucError(E.PACKAGE_MANIFEST_MALFORMED, `${name}: the manifest is not JSON (${(err as Error).message.slice(0, 120)})`);
  }
  return value;
}

function checkPayloadLayout(partitions: readonly Partition[], payloadLength: number, name: string): void {
  let expected = 0;
  for (const p of partitions) {
    if (p.payload.offset !== expected) {
      throw new ZucError(E.PACKAGE_PAYLOAD_LAYOUT, `${name}: payload of ${p.name} at offset ${p.payload.offset}, expected ${expected}`);
    }
    expected += p.payload.size;
  }
  if (expected !== payloadLength) throw new ZucError(E.PACKAGE_PAYLOAD_LAYOUT, `${name}: payloads add up to ${expected} bytes, the header declares ${payloadLength}`);
}

/**
 * Reads a package's header, manifest and signature block, in that order,
 * without touching a payload byte. Refuses (ZucError) a damaged container, a
 * signature that does not verify over the manifest — before the manifest is
 * parsed — and a manifest that is not canonical or does not fit the schema.
 */
export async function openPackage(input: string | Uint8Array | ByteSource): Promise<OpenedPackage> {
  const source = typeof input === 'string' ? await fileSource(input) : input instanceof Uint8Array ? bytesSource(input) : input;
  const name = source.name;
  const head = await source.read(0, Math.min(HEADER_BYTES, source.size));
  const header = decodeHeader(head, source.size, name);
  const manifestBytes = await source.read(HEADER_BYTES, header.manifestLength);
  const signatures = decodeSignatureBlock(await source.read(HEADER_BYTES + header.manifestLength, header.signatureBlockLength));
  for (const s of signatures) {
    if (!signatureMatches(manifestBytes, s)) {
      throw new ZucError(E.PACKAGE_BAD_SIGNATURE, `${name}: the signature by key ${s.keyId} does not match the manifest`);
    }
  }
  const manifest = parseManifest(parseJson(manifestBytes, name));
  checkPayloadLayout(manifest.partitions, header.payloadLength, name);
  return {
    header,
    manifest,
    manifestBytes,
    signatures,
    payloadAreaOffset: HEADER_BYTES + header.manifestLength + header.signatureBlockLength,
    source,
  };
}

export function findPartition(pkg: OpenedPackage, name?: string): Partition {
  const partition = name === undefined ? pkg.manifest.partitions[0] : pkg.manifest.partitions.find((p) => p.name === name);
  if (!partition) throw new ZucError(E.PACKAGE_NO_SUCH_PARTITION, `${name ?? '(first)'}: the package has ${pkg.manifest.partitions.map((p) => p.name).join(', ')}`);
  return partition;
}
