import type { SlotName } from '../../electron/shared/contract';
import { E, ZucError } from '../../electron/shared/errors';

/**
 * A fault the simulated terminal injects:
 * - `boot-fail`: a pending (newly activated, unconfirmed) slot never boots;
 *   the bootloader uses up its tries and falls back to the other slot.
 * - `corrupt-write`: one bit flips in storage while a slot is written, so
 *   the read-back hash differs and the image fails its boot check.
 * - `disconnect`: the link drops once, after `afterBytes` payload bytes of
 *   writes (counted from the simulator's start).
 * - `disconnect-at`: the link drops once, when the current write reaches
 *   `percent` % of its length (spec `disconnect@N%`).
 * - `delta-corrupt`: one bit of an on-device delta's result flips before
 *   the target hash check, so DELTA_END answers HASH_MISMATCH.
 * - `bit-rot@SLOT`: flash decay. When the terminal is first asked to reboot,
 *   one bit of the image stored in SLOT (a or b) flips; its state still says
 *   good, but the bootloader's image check refuses the slot the next time it
 *   tries it (a rollback onto that slot comes back on the other one).
 * - `stale-version`: a newly booted, not yet confirmed slot reports the
 *   version of the firmware that ran before it, as an agent does that reads
 *   its version from a data partition the image did not update.
 */
export type Fault =
  | { kind: 'boot-fail' }
  | { kind: 'corrupt-write' }
  | { kind: 'disconnect'; afterBytes: number }
  | { kind: 'disconnect-at'; percent: number }
  | { kind: 'delta-corrupt' }
  | { kind: 'bit-rot'; slot: SlotName }
  | { kind: 'stale-version' };

const UNITS: Record<string, number> = { '': 1, k: 1024, K: 1024, M: 1024 * 1024 };

/** Parses `boot-fail`, `corrupt-write`, `delta-corrupt`, `stale-version`, `bit-rot@a|b`, `disconnect@BYTES` (BYTES may end in k or M) or `disconnect@N%`. */
export function parseFaultSpec(spec: string): Fault {
  const text = spec.trim();
  if (text === 'boot-fail') return { kind: 'boot-fail' };
  if (text === 'corrupt-write') return { kind: 'corrupt-write' };
  if (text === 'delta-corrupt') return { kind: 'delta-corrupt' };
  if (text === 'stale-version') return { kind: 'stale-version' };
  const rot = /^bit-rot@([ab])$/.exec(text);
  if (rot) return { kind: 'bit-rot', slot: rot[1] as SlotName };
  const pct = /^disconnect@(\d{1,2}(?:\.\d{1,3})?)%$/.exec(text);
  if (pct && Number(pct[1]) > 0) return { kind: 'disconnect-at', percent: Number(pct[1]) };
  const m = /^disconnect@(\d{1,10})([kKM]?)$/.exec(text);
  if (m) {
    const afterBytes = Number(m[1]) * UNITS[m[2]!]!;
    if (Number.isSafeInteger(afterBytes)) return { kind: 'disconnect', afterBytes };
  }
  throw new ZucError(E.BAD_ARGUMENTS, `unknown fault '${spec}': expected boot-fail, corrupt-write, delta-corrupt, stale-version, bit-rot@a|b, disconnect@BYTES or disconnect@N% (0 < N < 100)`);
}

export function describeFault(fault: Fault): string {
  if (fault.kind === 'disconnect') return `disconnect@${fault.afterBytes}`;
  if (fault.kind === 'disconnect-at') return `disconnect@${fault.percent}%`;
  if (fault.kind === 'bit-rot') return `bit-rot@${fault.slot}`;
  return fault.kind;
}
