/**
 * Every time limit the engine applies to a terminal, in one place with its
 * unit. Tests pass shorter ones through `createEngine({ timeouts })`.
 */
export interface EngineTimeouts {
  /** Opening a link and getting the first answer from the agent. */
  connectMs: number;
  /** One short command: identify, set active, reboot, confirm, read log. */
  commandMs: number;
  /** The terminal hashing a whole slot. */
  hashMs: number;
  /** Longest the write may go without the terminal acknowledging a byte. */
  writeStallMs: number;
  /**
   * From the reboot acknowledgement until the terminal must answer again,
   * including every boot try its bootloader makes before falling back.
   */
  bootMs: number;
  /**
   * The whole rollback branch: reaching the terminal again (it may still be
   * cycling through boot tries), switching slots and booting the old one.
   */
  rollbackMs: number;
  /** Pause between two connection attempts while waiting for the terminal to boot. */
  reconnectIntervalMs: number;
  /**
   * After the link dropped during a resumable write: how long the job waits
   * for the terminal to come back (cable re-seated, terminal re-powered)
   * before it fails with LINK_LOST. Shown on screen as a countdown.
   */
  reconnectWaitMs: number;
  /** How long `close()` lets a job past activation finish before the store closes anyway. */
  closeGraceMs: number;
}

export const CONNECT_TIMEOUT_MS = 5_000;
export const COMMAND_TIMEOUT_MS = 10_000;
/** Hashing 256 MiB of flash takes tens of seconds on slow terminals. */
export const HASH_TIMEOUT_MS = 60_000;
export const WRITE_STALL_TIMEOUT_MS = 15_000;
/** Three boot tries of up to a minute each, the slowest terminals' bootloader default. */
export const BOOT_TIMEOUT_MS = 180_000;
/** Waiting out a boot-try cycle, then one more boot into the old slot. */
export const ROLLBACK_TIMEOUT_MS = 2 * BOOT_TIMEOUT_MS;
export const RECONNECT_INTERVAL_MS = 500;
/** Long enough to walk to the terminal and re-seat a cable or power it again. */
export const RECONNECT_WAIT_MS = 120_000;
export const CLOSE_GRACE_MS = 3_000;

export const DEFAULT_TIMEOUTS: Readonly<EngineTimeouts> = {
  connectMs: CONNECT_TIMEOUT_MS,
  commandMs: COMMAND_TIMEOUT_MS,
  hashMs: HASH_TIMEOUT_MS,
  writeStallMs: WRITE_STALL_TIMEOUT_MS,
  bootMs: BOOT_TIMEOUT_MS,
  rollbackMs: ROLLBACK_TIMEOUT_MS,
  reconnectIntervalMs: RECONNECT_INTERVAL_MS,
  reconnectWaitMs: RECONNECT_WAIT_MS,
  closeGraceMs: CLOSE_GRACE_MS,
};

export function resolveTimeouts(overrides: Partial<EngineTimeouts> = {}): EngineTimeouts {
  return { ...DEFAULT_TIMEOUTS, ...overrides };
}
