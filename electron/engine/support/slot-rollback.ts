import type { SlotName } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';
import type { TerminalIdentity } from '../../../native/terminal/terminal-driver';

/**
 * The slot a rollback would switch to, or ROLLBACK_UNAVAILABLE: only an A/B
 * terminal whose other slot booted and was confirmed (`good`) can go back to it.
 */
export function rollbackTarget(identity: TerminalIdentity): SlotName {
  if (identity.capabilities?.slots === 1) throw new ZucError(E.ROLLBACK_UNAVAILABLE, 'the terminal has a single firmware slot');
  const other: SlotName = identity.activeSlot === 'a' ? 'b' : 'a';
  const slot = identity.slots[other];
  if (slot.state !== 'good') throw new ZucError(E.ROLLBACK_UNAVAILABLE, `slot ${other} is ${slot.state}${slot.version ? ` (${slot.version})` : ''}`);
  return other;
}
