import { E, ZucError } from '../../shared/errors';
import { logText, type DevModeWarning } from '../../shared/job-log';
import { hashRange } from './byte-source';
import { extractPayload } from './extract-payload';
import type { OpenedPackage } from './open-package';
import { loadTrustStore, type TrustStore } from './trust-store';

/** What the verifier knows of the terminal the package is meant for. */
export interface VerifyTarget {
  model: string;
  hwRevision: string;
  /** The version the terminal runs; compared with a delta's base version when no source hash is known. */
  currentVersion?: string;
  /** The terminal's anti-rollback counter. */
  securityVersion?: number;
  /** SHA-256 of the image a delta would apply to: one for every delta partition, or per partition name. */
  sourceSha256?: string | Readonly<Record<string, string>>;
}

export interface VerifyOptions {
  /** A loaded store, or the folder to load it from. */
  trustStore: TrustStore | string;
  /** Development only: accept unsigned and untrusted packages, with a warning. */
  allowUnsigned?: boolean;
  target?: VerifyTarget;
  /** Also decode every full partition and check the image's size and hash (slower; deltas need their source). */
  checkImages?: boolean;
  /** Bytes hashed so far, of `total`. */
  onProgress?: (done: number, total: number) => void;
}

export type SignerStatus = 'trusted' | 'revoked' | 'unknown';

export interface SignerCheck {
  keyId: string;
  status: SignerStatus;
}

/** The verifier's decision, with every reason for refusal found (each a catalogued error). */
export interface PackageVerdict {
  ok: boolean;
  /** At least one signature by a trusted, unrevoked key. */
  trusted: boolean;
  signers: SignerCheck[];
  problems: ZucError[];
  /** Development mode only: what was accepted anyway. */
  warnings: DevModeWarning[];
}

function checkSigners(pkg: OpenedPackage, store: TrustStore, allowUnsigned: boolean, problems: ZucError[], warnings: DevModeWarning[]): SignerCheck[] {
  const signers = pkg.signatures.map((s): SignerCheck => ({
    keyId: s.keyId,
    status: store.revoked.has(s.keyId) ? 'revoked' : store.keys.has(s.keyId) ? 'trusted' : 'unknown',
  }));
  if (signers.some((s) => s.status === 'trusted')) return signers;
  const revoked = signers.filter((s) => s.status === 'revoked');
  if (revoked.length) {
    problems.push(new ZucError(E.PACKAGE_KEY_REVOKED, `signed by revoked key ${revoked.map((s) => s.keyId).join(', ')}`));
  } else if (allowUnsigned) {
    warnings.push(signers.length ? logText('dev-untrusted-key', { keyIds: signers.map((s) => s.keyId) }) : logText('dev-unsigned', {}));
  } else if (signers.length) {
    problems.push(new ZucError(E.PACKAGE_UNTRUSTED_KEY, `signed by ${signers.map((s) => s.keyId).join(', ')}, none of them in the trust store`));
  } else {
    problems.push(new ZucError(E.PACKAGE_UNSIGNED));
  }
  return signers;
}

function checkTarget(pkg: OpenedPackage, target: VerifyTarget, problems: ZucError[]): void {
  const m = pkg.manifest;
  if (!m.models.includes(target.model)) problems.push(new ZucError(E.PACKAGE_WRONG_MODEL, `terminal ${target.model}, package for ${m.models.join(', ')}`));
  if (!(m.hwRevisions.length === 1 && m.hwRevisions[0] === '*') && !m.hwRevisions.includes(target.hwRevision)) {
    problems.push(new ZucError(E.PACKAGE_WRONG_HW_REVISION, `terminal revision ${target.hwRevision}, package for ${m.hwRevisions.join(', ')}`));
  }
  if (target.securityVersion !== undefined && m.securityVersion < target.securityVersion) {
    problems.push(new ZucError(E.PACKAGE_DOWNGRADE, `package security version ${m.securityVersion}, terminal ${target.securityVersion}`));
  }
  for (const p of m.partitions) {
    if (!p.source) continue;
    const known = typeof target.sourceSha256 === 'string' ? target.sourceSha256 : target.sourceSha256?.[p.name];
    if (known !== undefined) {
      if (known.toLowerCase() !== p.source.sha256) problems.push(new ZucError(E.PACKAGE_DELTA_SOURCE_MISMATCH, `${p.name}: terminal image ${known}, delta made from ${p.source.sha256}`));
    } else if (target.currentVersion !== undefined && m.baseVersion !== undefined && target.currentVersion !== m.baseVersion) {
      problems.push(new ZucError(E.PACKAGE_DELTA_SOURCE_MISMATCH, `${p.name}: terminal runs ${target.currentVersion}, delta made from ${m.baseVersion}`));
    }
  }
}

/** The verifier's refusals of `pkg` for one terminal (model, revision, anti-rollback, delta base), without re-hashing payloads: for showing compatibility with many terminals at once. */
export function targetProblems(pkg: OpenedPackage, target: VerifyTarget): ZucError[] {
  const problems: ZucError[] = [];
  checkTarget(pkg, target, problems);
  return problems;
}

async function checkPayloads(pkg: OpenedPackage, options: VerifyOptions, problems: ZucError[]): Promise<void> {
  const total = pkg.header.payloadLength;
  let done = 0;
  for (const p of pkg.manifest.partitions) {
    const actual = await hashRange(pkg.source, pkg.payloadAreaOffset + p.payload.offset, p.payload.size, (n) => {
      done += n;
      options.onProgress?.(done, total);
    });
    if (actual !== p.payload.sha256) {
      problems.push(new ZucError(E.PACKAGE_PAYLOAD_CORRUPT, `${p.name}: payload SHA-256 ${actual}, the manifest declares ${p.payload.sha256}`));
    } else if (options.checkImages && p.payload.encoding !== 'delta') {
      await extractPayload(pkg, p.name).catch((err: unknown) => problems.push(ZucError.from(err)));
    }
  }
}

/**
 * Decides whether a package may be installed: signers against the trust
 * store, every payload's hash, and the terminal's identity when `target` is
 * given. Never throws for a bad package: the refusals are in `problems`.
 */
export async function verifyPackage(pkg: OpenedPackage, options: VerifyOptions): Promise<PackageVerdict> {
  const store = typeof options.trustStore === 'string' ? await loadTrustStore(options.trustStore) : options.trustStore;
  const problems: ZucError[] = [];
  const warnings: DevModeWarning[] = [];
  const signers = checkSigners(pkg, store, options.allowUnsigned ?? false, problems, warnings);
  if (options.target) checkTarget(pkg, options.target, problems);
  await checkPayloads(pkg, options, problems);
  return { ok: problems.length === 0, trusted: signers.some((s) => s.status === 'trusted'), signers, problems, warnings };
}

/** Throws the first refusal of a verdict, so callers that only proceed on success stay short. */
export function assertVerdict(verdict: PackageVerdict): void {
  const first = verdict.problems[0];
  if (first) throw first;
}
