import type { SlotInfo, SlotName, TerminalInfo } from '../../electron/shared/contract';

/** What a terminal can do beyond protocol v1 (docs/agent-protocol.md "Version 2"). */
export interface TerminalCapabilities {
  /** Interrupted writes continue from the last acknowledged byte. */
  resume: boolean;
  /** Applies delta patches itself (applyDelta). */
  delta: boolean;
  /** Reads slots back (readSlot). */
  readSlot: boolean;
  /** 1: writes go over the running image, so back it up first and expect no instant rollback. */
  slots: 1 | 2;
}

/** What a terminal says about itself: TerminalInfo without what the console adds (address, transport). */
export type TerminalIdentity = Omit<TerminalInfo, 'address' | 'transport'> & { capabilities?: TerminalCapabilities };
export type { SlotInfo, SlotName };

export interface WriteOptions {
  /** Called as the terminal acknowledges bytes; `bytesDone` only grows. */
  onProgress?(bytesDone: number): void;
  signal?: AbortSignal;
  /**
   * Continue an interrupted write of this same image (same slot, length and
   * SHA-256) from the terminal's last acknowledged byte instead of from 0.
   * Without resume support, or with nothing to resume, it writes from 0.
   */
  resume?: boolean;
  /**
   * The image's SHA-256 (64 hex digits) when the caller already knows it
   * (the engine hashed it while loading): saves the driver a pass over the
   * whole image before the first byte goes out. A wrong value is caught by
   * the read-back; the driver hashes the image itself without one.
   */
  imageSha256?: string;
}

/** A delta patch's source and target as its header states them (hex SHA-256). */
export interface DeltaEnds {
  source: { length: number; sha256: string };
  target: { length: number; sha256: string };
}

export interface ApplyDeltaOptions extends DeltaEnds {
  /** Called as the terminal acknowledges patch bytes. */
  onProgress?(bytesDone: number): void;
  signal?: AbortSignal;
}

export interface ReadOptions {
  onProgress?(bytesDone: number): void;
  signal?: AbortSignal;
}

/**
 * The operations the update pipeline needs from a terminal, whatever the
 * protocol. Every method rejects with a ZucError carrying a catalogued code.
 */
export interface TerminalDriver {
  identify(): Promise<TerminalIdentity>;
  /** Writes `image` into `slot` from offset 0. The terminal refuses its active slot. */
  writeSlot(slot: SlotName, image: Uint8Array, options?: WriteOptions): Promise<void>;
  /** SHA-256 of the first `length` bytes of `slot`, computed by the terminal. */
  hashSlot(slot: SlotName, length: number): Promise<Uint8Array>;
  /** Marks `slot` active and pending: the bootloader tries it on the next boot. */
  setActive(slot: SlotName): Promise<void>;
  /** Asks the terminal to reboot; resolves once it acknowledged. The link may drop after. */
  reboot(): Promise<void>;
  /** Marks the running slot good, ending its trial. */
  confirm(): Promise<void>;
  /**
   * Streams a delta patch to the terminal, which checks its running slot
   * against `source` first (DELTA_SOURCE_MISMATCH, nothing changed), applies
   * it into `slot` and checks the result against `target`. Terminals without
   * the capability reject with AGENT_UNSUPPORTED.
   */
  applyDelta?(slot: SlotName, patch: Uint8Array, options: ApplyDeltaOptions): Promise<void>;
  /** The first `length` bytes of `slot` as the terminal stores them (a backup before overwriting). */
  readSlot?(slot: SlotName, length: number, options?: ReadOptions): Promise<Uint8Array>;
  /** The terminal's own log, oldest first. */
  readLog(): Promise<string[]>;
  close(): Promise<void>;
}

/** Opens a driver for an address; used again after a reboot to find the terminal. */
export type TerminalConnector = (address: string) => Promise<TerminalDriver>;
