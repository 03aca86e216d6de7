import type {
  CompatibilityIssue,
  CompatibilityIssueKind,
  DeviceView,
  FlashCompatibility,
  ImageVerification,
  TerminalCompatibility,
  TerminalInfo,
} from '../../shared/contract';
import { E, ZucError, type ErrorEntry } from '../../shared/errors';
import type { TerminalCapabilities } from '../../../native/terminal/terminal-driver';
import { findPartition, loadTrustStore, looksLikePackage, openPackage, targetProblems, verifyPackage, type OpenedPackage, type PackageVerdict } from '../package';
import { compareVersions } from '../sources/choose-route';
import { readImageHeader, type ImageHeader } from './image-header';
import type { LoadedImage } from './load-image';
import type { PackagePolicy } from './package-image';

/** A terminal as the engine knows it when the check runs. */
export interface CandidateTerminal {
  address: string;
  /** Null when the engine does not know the address. */
  view: DeviceView | null;
  /** A job of this engine runs on it, or an update waits for it. */
  busy: boolean;
}

/** The file read once: a raw image with its header, or an opened and verified package. */
type ReadImage =
  | { kind: 'image'; header: ImageHeader | null; imageBytes: number }
  | { kind: 'package'; pkg: OpenedPackage; verdict: PackageVerdict; delta: boolean; imageBytes: number }
  | { kind: 'unreadable'; error: ZucError };

/** Package refusals that say something about the terminal, each shown as its own kind; the rest refuse the file itself. */
const TARGET_KINDS: Record<string, CompatibilityIssueKind> = {
  [E.PACKAGE_WRONG_MODEL.code]: 'wrong-model',
  [E.PACKAGE_WRONG_HW_REVISION.code]: 'wrong-hw-revision',
  [E.PACKAGE_DOWNGRADE.code]: 'downgrade',
  [E.PACKAGE_DELTA_SOURCE_MISMATCH.code]: 'delta-base-mismatch',
};

/**
 * What a manual flash of `file` would do on each terminal, decided by the
 * same checks the job's verify stage runs (signature and payload hashes
 * once, then model, revision, anti-rollback and delta base per terminal,
 * the header and slot size for raw images), before anything is written.
 */
export async function checkFlashCompatibility(file: LoadedImage, terminals: readonly CandidateTerminal[], policy: PackagePolicy): Promise<FlashCompatibility> {
  const read = await readForCheck(file, policy);
  return { image: verification(read, file), terminals: terminals.map((t) => terminalFit(read, t, policy)) };
}

async function readForCheck(file: LoadedImage, policy: PackagePolicy): Promise<ReadImage> {
  if (!looksLikePackage(file.bytes)) return { kind: 'image', header: readImageHeader(file.bytes), imageBytes: file.bytes.byteLength };
  try {
    const pkg = await openPackage(file.bytes);
    const partition = findPartition(pkg);
    const trustStore = typeof policy.trustStore === 'string' ? await loadTrustStore(policy.trustStore) : policy.trustStore;
    const verdict = await verifyPackage(pkg, { trustStore, allowUnsigned: policy.allowUnsigned });
    return { kind: 'package', pkg, verdict, delta: partition.source !== undefined, imageBytes: partition.size };
  } catch (err) {
    return { kind: 'unreadable', error: ZucError.from(err) };
  }
}

function verification(read: ReadImage, file: LoadedImage): ImageVerification {
  const none = { signers: [], packageId: null, securityVersion: null, baseVersion: null };
  if (read.kind === 'unreadable') return { ...none, kind: 'unreadable', signature: 'none', version: null, imageBytes: 0, problems: [read.error.toJSON()] };
  if (read.kind === 'image') {
    const problems = read.header ? [] : [new ZucError(E.IMAGE_NO_HEADER, `${file.name}: no valid ZTE firmware header`).toJSON()];
    return { ...none, kind: 'image', signature: 'none', version: read.header?.version ?? null, imageBytes: file.bytes.byteLength, problems };
  }
  const { pkg, verdict } = read;
  const statuses = verdict.signers.map((s) => s.status);
  const signature = statuses.includes('trusted') ? 'trusted' : statuses.includes('revoked') ? 'revoked' : statuses.length ? 'untrusted' : 'unsigned';
  return {
    kind: read.delta ? 'delta-package' : 'full-package',
    signature,
    signers: verdict.signers.map((s) => s.keyId),
    packageId: pkg.manifest.packageId,
    version: pkg.manifest.version,
    securityVersion: pkg.manifest.securityVersion,
    baseVersion: read.delta ? (pkg.manifest.baseVersion ?? null) : null,
    imageBytes: read.imageBytes,
    problems: verdict.problems.map((p) => p.toJSON()),
  };
}

function issue(kind: CompatibilityIssueKind, terminal: string, image: string, error: ZucError | null = null): CompatibilityIssue {
  return { kind, severity: error ? 'error' : 'warning', terminal, image, error: error ? error.toJSON() : null };
}

function refusal(kind: CompatibilityIssueKind, entry: ErrorEntry, terminal: string, image: string, detail: string): CompatibilityIssue {
  return issue(kind, terminal, image, new ZucError(entry, detail));
}

function terminalFit(read: ReadImage, candidate: CandidateTerminal, policy: PackagePolicy): TerminalCompatibility {
  const { address, view } = candidate;
  const info = view?.info ?? null;
  const issues = terminalIssues(read, candidate, info, policy);
  const status = issues.some((i) => i.severity === 'error') ? 'error' : issues.length ? 'warning' : 'compatible';
  const singleSlot = info && capabilitiesOf(info)?.slots === 1;
  const targetSlot = status === 'error' || !info ? null : singleSlot ? info.activeSlot : info.activeSlot === 'a' ? 'b' : 'a';
  return { address, status, issues, fromVersion: info?.firmwareVersion ?? null, targetSlot };
}

function terminalIssues(read: ReadImage, candidate: CandidateTerminal, info: TerminalInfo | null, policy: PackagePolicy): CompatibilityIssue[] {
  const { address, view } = candidate;
  const state = view?.state;
  if (candidate.busy || state?.kind === 'busy') {
    return [refusal('busy', E.TERMINAL_BUSY, state?.kind === 'busy' ? state.jobId : '', '', `${address} already runs a job`)];
  }
  if (!view) return [refusal('not-ready', E.UNKNOWN_TERMINAL, '', '', address)];
  if (!info || state?.kind !== 'ready') return [refusal('not-ready', E.TERMINAL_UNREACHABLE, state?.kind ?? '', '', `${address} is ${state?.kind ?? 'unknown'}`)];

  if (read.kind === 'unreadable') return [issue('package-refused', '', read.error.code, read.error)];
  const issues: CompatibilityIssue[] = [];
  let version: string;
  let imageBytes: number;
  if (read.kind === 'image') {
    if (!read.header) return [refusal('no-header', E.IMAGE_NO_HEADER, '', '', 'no valid ZTE firmware header')];
    const { model, hwRevision } = read.header;
    if (model !== info.model) issues.push(refusal('wrong-model', E.IMAGE_WRONG_MODEL, info.model, model, `image is for ${model} rev ${hwRevision}, terminal is ${info.model} rev ${info.hwRevision}`));
    else if (hwRevision !== info.hwRevision) issues.push(refusal('wrong-hw-revision', E.IMAGE_WRONG_MODEL, info.hwRevision, hwRevision, `image is for ${model} rev ${hwRevision}, terminal is ${info.model} rev ${info.hwRevision}`));
    version = read.header.version;
    imageBytes = read.imageBytes;
  } else {
    const { pkg, verdict } = read;
    const first = verdict.problems[0];
    if (first) issues.push(issue('package-refused', '', first.code, first));
    const securityVersion = (info as { securityVersion?: unknown }).securityVersion;
    const target = { model: info.model, hwRevision: info.hwRevision, currentVersion: info.firmwareVersion, ...(typeof securityVersion === 'number' ? { securityVersion } : {}) };
    for (const problem of targetProblems(pkg, target)) {
      const kind = TARGET_KINDS[problem.code] ?? 'package-refused';
      issues.push(issue(kind, targetFact(kind, info, securityVersion), imageFact(kind, pkg), problem));
    }
    if (read.delta && !capabilitiesOf(info)?.delta && !policy.deltaSourceFiles?.length && !issues.some((i) => i.kind === 'delta-base-mismatch')) {
      issues.push(refusal('delta-unsupported', E.PACKAGE_DELTA_MANUAL_FLASH, `${info.agentVersion}`, pkg.manifest.baseVersion ?? '', `${info.model} ${info.serial} cannot apply a delta itself; flash the full package of ${pkg.manifest.version}`));
    }
    // The verifier's warning is English prose for logs; the page words it from the kind and the signer ids.
    if (verdict.warnings.length > 0) issues.push(issue('unsigned-dev', '', verdict.signers.map((signer) => signer.keyId).join(', ').slice(0, 256)));
    version = pkg.manifest.version;
    imageBytes = read.imageBytes;
  }
  if (imageBytes > info.slotSize) issues.push(refusal('too-large', E.IMAGE_TOO_LARGE, `${info.slotSize}`, `${imageBytes}`, `image has ${imageBytes} bytes, the slot holds ${info.slotSize}`));
  const order = compareVersions(version, info.firmwareVersion);
  if (order === 0) issues.push(issue('same-version', info.firmwareVersion, version));
  else if (order < 0) issues.push(issue('older-version', info.firmwareVersion, version));
  return issues;
}

function targetFact(kind: CompatibilityIssueKind, info: TerminalInfo, securityVersion: unknown): string {
  if (kind === 'wrong-model') return info.model;
  if (kind === 'wrong-hw-revision') return info.hwRevision;
  if (kind === 'downgrade') return String(securityVersion);
  return info.firmwareVersion;
}

function imageFact(kind: CompatibilityIssueKind, pkg: OpenedPackage): string {
  const m = pkg.manifest;
  if (kind === 'wrong-model') return m.models.join(', ');
  if (kind === 'wrong-hw-revision') return m.hwRevisions.join(', ');
  if (kind === 'downgrade') return String(m.securityVersion);
  if (kind === 'delta-base-mismatch') return m.baseVersion ?? '';
  return m.version;
}

/**
 * The registry keeps the identity as the terminal reported it; the
 * contract's TerminalInfo leaves capabilities out, the engine still has them.
 */
function capabilitiesOf(info: TerminalInfo): TerminalCapabilities | undefined {
  return (info as TerminalInfo & { capabilities?: TerminalCapabilities }).capabilities;
}
