import { E, type ErrorEntry } from '../../shared/errors';
import { targetImage, targetVersion, type FlashContext } from './flash-context';

/**
 * A named condition a node requires on entry or guarantees on exit. When it
 * does not hold, the node fails with `error` and the detail `explain` gives.
 */
export interface Guard {
  readonly name: string;
  readonly error: ErrorEntry;
  holds(ctx: FlashContext): boolean;
  explain(ctx: FlashContext): string;
}

/** Writing the other slot is only safe while the running one is known good. */
export const activeSlotGood: Guard = {
  name: 'active slot is good',
  error: E.SLOTS_UNHEALTHY,
  holds: (ctx) => ctx.before !== null && ctx.before.slots[ctx.before.activeSlot].state === 'good',
  explain: (ctx) => `active slot ${ctx.before?.activeSlot} is ${ctx.before && ctx.before.slots[ctx.before.activeSlot].state}`,
};

export const imageFitsSlot: Guard = {
  name: 'image fits the slot',
  error: E.IMAGE_TOO_LARGE,
  holds: (ctx) => targetImage(ctx) !== null && ctx.before !== null && targetImage(ctx)!.length <= ctx.before.slotSize,
  explain: (ctx) => `${ctx.image?.name ?? ctx.patch?.name} has ${targetImage(ctx)?.length} bytes, the slot holds ${ctx.before?.slotSize}`,
};

export const imageHasHeader: Guard = {
  name: 'image has a firmware header',
  error: E.IMAGE_NO_HEADER,
  // A delta applied on the device has no image here: its signed manifest, verified, stands for the header.
  holds: (ctx) => ctx.header !== null || ctx.patch !== null,
  explain: (ctx) => `${ctx.image?.name}: ${ctx.headerProblem ?? 'no ZTE firmware header'}`,
};

export const imageMatchesTerminal: Guard = {
  name: 'image is for this model and hardware revision',
  error: E.IMAGE_WRONG_MODEL,
  holds: (ctx) => ctx.patch !== null || (ctx.header !== null && ctx.before !== null && ctx.header.model === ctx.before.model && ctx.header.hwRevision === ctx.before.hwRevision),
  explain: (ctx) => `image is for ${ctx.header?.model} rev ${ctx.header?.hwRevision}, terminal is ${ctx.before?.model} rev ${ctx.before?.hwRevision}`,
};

export const readbackMatches: Guard = {
  name: 'slot read back equals the image',
  error: E.READBACK_MISMATCH,
  holds: (ctx) => ctx.readbackSha256 !== null && ctx.readbackSha256 === targetImage(ctx)?.sha256,
  explain: (ctx) => `slot ${ctx.targetSlot} hashes to ${ctx.readbackSha256}, image is ${targetImage(ctx)?.sha256}`,
};

/** After the reboot the bootloader must run the new slot; if it runs the old one it fell back by itself. */
export const newSlotBooted: Guard = {
  name: 'terminal booted the new slot',
  error: E.BOOT_FAILED_ROLLED_BACK,
  // A single-slot terminal always runs its one slot: in recovery that slot reads `unbootable`.
  holds: (ctx) => ctx.latest !== null && ctx.latest.activeSlot === ctx.targetSlot && ctx.latest.slots[ctx.targetSlot].state !== 'unbootable',
  explain: (ctx) => `terminal runs slot ${ctx.latest?.activeSlot} (${ctx.latest?.firmwareVersion}); slot ${ctx.targetSlot} is ${ctx.targetSlot && ctx.latest?.slots[ctx.targetSlot].state}`,
};

/** The terminal writes over its running image (one slot): the backup and restore path applies. */
export function singleSlot(ctx: FlashContext): boolean {
  return ctx.before?.capabilities?.slots === 1;
}

export const newVersionRunning: Guard = {
  name: 'terminal runs the image version',
  error: E.VERSION_MISMATCH,
  holds: (ctx) => ctx.latest !== null && targetVersion(ctx) !== null && ctx.latest.firmwareVersion === targetVersion(ctx),
  explain: (ctx) => `terminal reports ${ctx.latest?.firmwareVersion}, image is ${targetVersion(ctx)}`,
};

export const newSlotConfirmed: Guard = {
  name: 'new slot is confirmed good',
  error: E.DEVICE_REJECTED,
  holds: (ctx) => ctx.latest !== null && ctx.targetSlot !== null && ctx.latest.slots[ctx.targetSlot].state === 'good',
  explain: (ctx) => `after confirm, slot ${ctx.targetSlot} is still ${ctx.targetSlot && ctx.latest?.slots[ctx.targetSlot].state}`,
};
