import type { SlotInfo, SlotName, TerminalInfo } from '../../electron/shared/contract';

/** What a terminal says about itself: TerminalInfo without what the console adds (address, transport). */
export type TerminalIdentity = Omit<TerminalInfo, 'address' | 'transport'>;
export type { SlotInfo, SlotName };

export interface WriteOptions {
  /** Called as the terminal acknowledges bytes; `bytesDone` only grows. */
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
  /** The terminal's own log, oldest first. */
  readLog(): Promise<string[]>;
  close(): Promise<void>;
}

/** Opens a driver for an address; used again after a reboot to find the terminal. */
export type TerminalConnector = (address: string) => Promise<TerminalDriver>;
