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
 */
export type Fault =
  | { kind: 'boot-fail' }
  | { kind: 'corrupt-write' }
  | { kind: 'disconnect'; afterBytes: number }
  | { kind: 'disconnect-at'; percent: number }
  | { kind: 'delta-corrupt' };

const UNITS: Record<string, number> = { '': 1, k: 1024, K: 1024, M: 1024 * 1024 };

/** Parses `boot-fail`, `corrupt-write`, `delta-corrupt`, `disconnect@BYTES` (BYTES may end in k or M) or `disconnect@N%`. */
export function parseFaultSpec(spec: string): Fault {
  const text = spec.trim();
  if (text === 'boot-fail') return { kind: 'boot-fail' };
  if (text === 'corrupt-write') return { kind: 'corrupt-write' };
  if (text === 'delta-corrupt') return { kind: 'delta-corrupt' };
  const pct = /^disconnect@(\d{1,2}(?:\.\d{1,3})?)%$/.exec(text);
  if (pct && Number(pct[1]) > 0) return { kind: 'disconnect-at', percent: Number(pct[1]) };
  const m = /^disconnect@(\d{1,10})([kKM]?)$/.exec(text);
  if (m) {
    const afterBytes = Number(m[1]) * UNITS[m[2]!]!;
    if (Number.isSafeInteger(afterBytes)) return { kind: 'disconnect', afterBytes };
  }
  throw new ZucError(E.BAD_ARGUMENTS, `unknown fault '${spec}': expected boot-fail, corrupt-write, delta-corrupt, disconnect@BYTES or disconnect@N% (0 < N < 100)`);
}

export function describeFault(fault: Fault): string {
  if (fault.kind === 'disconnect') return `disconnect@${fault.afterBytes}`;
  if (fault.kind === 'disconnect-at') return `disconnect@${fault.percent}%`;
  return fault.kind;
}
