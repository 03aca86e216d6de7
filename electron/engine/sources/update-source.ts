import type { SignatureView } from '../../shared/contract';
import type { TrustStore } from '../package';

/**
 * What every update source (local library, HTTP catalog, hawkBit) answers
 * for a terminal: the packages it could install, each with a `fetch()` that
 * brings the exact announced bytes into the content-addressed cache.
 */

/** The terminal as identified, in the terms sources match packages on. */
export interface TerminalForUpdate {
  model: string;
  hwRevision: string;
  /** The version running in the active slot. */
  firmwareVersion: string;
  /** SHA-256 of the active slot's image, when known: the only binding check for a delta's base. */
  activeSlotSha256?: string;
}

export type OfferType = 'full' | 'delta';

export interface FetchOptions {
  signal?: AbortSignal;
  onProgress?: (progress: FetchProgress) => void;
}

export interface FetchProgress {
  /** Bytes of the package present locally so far, including those kept from an earlier attempt. */
  receivedBytes: number;
  totalBytes: number;
  /** Recent transfer rate; 0 before the first bytes or for a local copy. */
  bytesPerSecond: number;
}

/** One package a source offers for one terminal. */
export interface UpdateOffer {
  /** Which source offers it, for logs and reports (`library:/srv/fw`, `catalog:https://…`, `hawkbit:…`). */
  source: string;
  packageId: string;
  /** Version the terminal runs after installing it. */
  version: string;
  type: OfferType;
  /** Delta only: SHA-256 of the image the delta applies to (the terminal's active slot must have it). */
  baseSha256?: string;
  /** Delta only: the version the delta applies to (informational). */
  baseVersion?: string;
  /** Size of the package file in bytes. */
  size: number;
  /** SHA-256 of the package file: its key in the cache. */
  sha256: string;
  /** Brings the package into the cache (once, shared by all jobs) and returns its local path. Throws a ZucError. */
  fetch(options?: FetchOptions): Promise<string>;
  /**
   * The package's signature judged against `trust` before anything is
   * downloaded (a library file is at hand). Absent when it can only be
   * judged after download (catalog, hawkBit): such an offer stays eligible
   * and is verified once fetched.
   */
  signature?(trust: TrustStore): Promise<SignatureView>;
}

export interface FindOptions {
  signal?: AbortSignal;
}

export interface UpdateSource {
  /** Same string as the offers' `source`. */
  readonly name: string;
  /**
   * Packages for this terminal's model and hardware revision whose version
   * differs from the one it runs. Throws a ZucError when the source itself
   * cannot be read (a folder missing, a catalog unreachable or malformed).
   */
  findUpdates(terminal: TerminalForUpdate, options?: FindOptions): Promise<UpdateOffer[]>;
}
