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
  /** How long `close()` lets a job past activation finish before the store closes anyway. */
  closeGraceMs: number;
}

export const DEFAULT_TIMEOUTS: Readonly<EngineTimeouts> = {
  connectMs: 5_000,
  commandMs: 10_000,
  hashMs: 60_000,
  writeStallMs: 15_000,
  bootMs: 180_000,
  rollbackMs: 360_000,
  reconnectIntervalMs: 500,
  closeGraceMs: 3_000,
};

export function resolveTimeouts(overrides: Partial<EngineTimeouts> = {}): EngineTimeouts {
  return { ...DEFAULT_TIMEOUTS, ...overrides };
}
