import type { FlashCompatibility, TerminalCompatibility } from '../../electron/shared/contract';

/** Which terminals the technician ticked in the flash dialog, by address. */
export type FlashTicks = Readonly<Record<string, boolean>>;

/** A terminal the engine would refuse cannot be ticked at all. */
export function canTick(entry: TerminalCompatibility): boolean {
  return entry.status !== 'error';
}

/**
 * The ticks a fresh check starts with: compatible terminals the technician
 * chose are ticked; a warning needs its own explicit tick; an error none.
 */
export function initialTicks(result: FlashCompatibility, chosen: boolean): FlashTicks {
  return Object.fromEntries(result.terminals.map((t) => [t.address, chosen && t.status === 'compatible']));
}

/** The terminals Start flashes, one job each, in the dialog's order. */
export function flashPlan(result: FlashCompatibility, ticks: FlashTicks): string[] {
  return result.terminals.filter((t) => canTick(t) && ticks[t.address] === true).map((t) => t.address);
}
