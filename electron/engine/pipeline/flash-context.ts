import type { ImageRef, Progress, SlotName } from '../../shared/contract';
import type { ZucError } from '../../shared/errors';
import type { LogEntry } from '../../shared/job-log';
import type { TerminalIdentity } from '../../../native/terminal/terminal-driver';
import type { Clock } from '../clock';
import type { ImageHeader } from '../image/image-header';
import type { LoadedImage } from '../image/load-image';
import type { PackageFacts, PackagePolicy } from '../image/package-image';
import type { EngineTimeouts } from '../timeouts';
import type { TerminalSession } from './terminal-session';

/** What a flash job learns as it runs; the machine's extended state. */
export interface FlashContext {
  readonly address: string;
  readonly imageRef: ImageRef;
  /** Identity at detect: the slots the job started from. */
  before: TerminalIdentity | null;
  /** Latest identity read from the terminal. */
  latest: TerminalIdentity | null;
  image: LoadedImage | null;
  /** Instead of `image`: a delta the terminal applies itself (agent protocol 2), from a verified package. */
  patch: DevicePatch | null;
  /** What the signed manifest says, when the image given was a package. */
  package: PackageFacts | null;
  /** Null until verify read it, and when the image has none. */
  header: ImageHeader | null;
  /** Why the image's header was refused, when it was. */
  headerProblem: string | null;
  /** The inactive slot at detect, which the job writes. */
  targetSlot: SlotName | null;
  bytesSent: number;
  /** Times the write went on from the terminal's acknowledged offset after the link dropped. */
  resumes: number;
  /** Lines the device log had at detect: the report copies only what this job added. */
  deviceLogFrom: number | null;
  /** Lowercase hex SHA-256 the terminal computed over the written slot. */
  readbackSha256: string | null;
  /** A single-slot terminal's running image, saved on the console before the write; restored if the update fails. */
  backup: ImageBackup | null;
  /** The failure that sent the job to `fail` or `rollback`. */
  error: ZucError | null;
}

export interface ImageBackup {
  /** `<dataDir>/backups/<serial>/<time>.img` */
  path: string;
  length: number;
  /** Lowercase hex; the terminal hashed the same bytes. */
  sha256: string;
  /** The firmware version the backup holds. */
  version: string;
}

/** A verified delta patch for on-device application, with the images it goes from and to. */
export interface DevicePatch {
  name: string;
  bytes: Uint8Array;
  source: { length: number; sha256: string };
  target: { length: number; sha256: string };
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Everything a machine node may touch besides the context: the outside world, injected. */
export interface FlashIo {
  readonly session: TerminalSession;
  readonly timeouts: EngineTimeouts;
  readonly clock: Clock;
  loadImage(ref: ImageRef): Promise<LoadedImage>;
  /** Trust store and development flag for packages given to a manual flash. */
  readonly packagePolicy: PackagePolicy;
  /** `<dataDir>/backups`; null when the console keeps no data folder (single-slot terminals then cannot be updated). */
  readonly backupDir: string | null;
  progress(progress: Progress): void;
  log(level: LogLevel, entry: LogEntry): void;
}

export function newFlashContext(address: string, imageRef: ImageRef): FlashContext {
  return { address, imageRef, before: null, latest: null, image: null, patch: null, package: null, header: null, headerProblem: null, targetSlot: null, bytesSent: 0, resumes: 0, deviceLogFrom: null, readbackSha256: null, backup: null, error: null };
}

/** The version the terminal must run after the job: the signed manifest's, else the image header's. */
export function targetVersion(ctx: FlashContext): string | null {
  return ctx.package?.version ?? ctx.header?.version ?? null;
}

/** Length and SHA-256 of what the target slot must hold after the write: the image, or the patch's target. */
export function targetImage(ctx: FlashContext): { length: number; sha256: string } | null {
  if (ctx.patch) return ctx.patch.target;
  return ctx.image ? { length: ctx.image.bytes.byteLength, sha256: ctx.image.sha256 } : null;
}

export function otherSlot(slot: SlotName): SlotName {
  return slot === 'a' ? 'b' : 'a';
}
