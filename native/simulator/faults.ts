import { E, ZucError } from '../../electron/shared/errors';

/**
 * A fault the simulated terminal injects:
 * - `boot-fail`: a pending (newly activated, unconfirmed) slot never boots;
 *   the bootloader uses up its tries and falls back to the other slot.
 * - `corrupt-write`: one bit flips in storage while a slot is written, so
 *   the read-back hash differs and the image fails its boot check.
 * - `disconnect`: the link drops once, after `afterBytes` payload bytes of
 *   writes (counted from the simulator's start).
 */
export type Fault = { kind: 'boot-fail' } | { kind: 'corrupt-write' } | { kind: 'disconnect'; afterBytes: number };

const UNITS: Record<string, number> = { '': 1, k: 1024, K: 1024, M: 1024 * 1024 };

/** Parses `boot-fail`, `corrupt-write` or `disconnect@BYTES` (BYTES may end in k or M). */
export function parseFaultSpec(spec: string): Fault {
  const text = spec.trim();
  if (text === 'boot-fail') return { kind: 'boot-fail' };
  if (text === 'corrupt-write') return { kind: 'corrupt-write' };
  const m = /^disconnect@(\d{1,10})([kKM]?)$/.exec(text);
  if (m) {
    const afterBytes = Number(m[1]) * UNITS[m[2]!]!;
    if (Number.isSafeInteger(afterBytes)) return { kind: 'disconnect', afterBytes };
  }
  throw new ZucError(E.BAD_ARGUMENTS, `unknown fault '${spec}': expected boot-fail, corrupt-write or disconnect@BYTES`);
}

export function describeFault(fault: Fault): string {
  return fault.kind === 'disconnect' ? `disconnect@${fault.afterBytes}` : fault.kind;
}
