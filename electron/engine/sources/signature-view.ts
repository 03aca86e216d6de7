import type { SignatureView } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import { openPackage, verifyPackage, type OpenedPackage, type TrustStore } from '../package';

/** Refusals that are about who signed, not about damage: they keep the signer-based status. */
const SIGNER_CODES = new Set<string>([E.PACKAGE_UNSIGNED.code, E.PACKAGE_UNTRUSTED_KEY.code, E.PACKAGE_KEY_REVOKED.code]);

/**
 * A package's signature status from the real verifier: signers against the
 * trust store and every payload's hash. A damaged payload makes the package
 * `invalid` whoever signed it.
 */
export async function judgeSignature(pkg: OpenedPackage, trust: TrustStore): Promise<SignatureView> {
  const verdict = await verifyPackage(pkg, { trustStore: trust });
  const signers = verdict.signers.map((s) => ({ keyId: s.keyId, status: s.status }));
  const damage = verdict.problems.find((p) => !SIGNER_CODES.has(p.code));
  if (damage) return { status: 'invalid', signers, error: damage.toJSON() };
  const refusal = verdict.problems[0]?.toJSON() ?? null;
  if (verdict.trusted) return { status: 'trusted', signers, error: null };
  if (signers.length === 0) return { status: 'unsigned', signers, error: refusal ?? new ZucError(E.PACKAGE_UNSIGNED).toJSON() };
  if (signers.some((s) => s.status === 'revoked')) return { status: 'revoked', signers, error: refusal };
  return { status: 'untrusted', signers, error: refusal };
}

/** A file the verifier could not even open: its refusal is the reason. */
export function invalidSignature(error: ZucError): SignatureView {
  return { status: 'invalid', signers: [], error: error.toJSON() };
}

/** Identifies a trust store's contents, so a verdict is judged again when keys are added or revoked. */
export function trustFingerprint(trust: TrustStore): string {
  return `${[...trust.keys.keys()].sort().join(',')}|${[...trust.revoked].sort().join(',')}`;
}

interface Judged {
  size: number;
  mtimeMs: number;
  trust: string;
  view: Promise<SignatureView>;
}

/**
 * Verdicts of package files, remembered while a file keeps its size and
 * modification time and the trust store its keys: listing a library hashes
 * each payload once, not on every refresh.
 */
export class SignatureCache {
  private readonly judged = new Map<string, Judged>();

  judgeFile(file: string, stat: { size: number; mtimeMs: number }, trust: TrustStore): Promise<SignatureView> {
    const fingerprint = trustFingerprint(trust);
    const known = this.judged.get(file);
    if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs && known.trust === fingerprint) return known.view;
    const view = openPackage(file).then(
      (pkg) => judgeSignature(pkg, trust),
      (err: unknown) => invalidSignature(ZucError.from(err)),
    );
    this.judged.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, trust: fingerprint, view });
    return view;
  }

  /** Files no longer listed are forgotten, so the cache stays as large as the library. */
  keepOnly(files: ReadonlySet<string>): void {
    for (const file of this.judged.keys()) if (!files.has(file)) this.judged.delete(file);
  }
}
