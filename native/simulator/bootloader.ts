import type { SlotName } from '../../electron/shared/contract';
import { verifyFirmwareImage } from '../firmware';
import type { TerminalStore } from './terminal-store';

export function otherSlot(slot: SlotName): SlotName {
  return slot === 'a' ? 'b' : 'a';
}

export interface BootOptions {
  /** `boot-fail` fault: a pending slot panics on every attempt. */
  pendingSlotsFail: boolean;
  /** Waits one boot attempt's time (the terminal is silent meanwhile). */
  attemptDelay(): Promise<void>;
}

/**
 * The terminal's bootloader: tries the boot slot, then the other one. A good
 * slot boots if its image checks out; a pending slot spends one try per
 * attempt and becomes unbootable when none are left; an image that fails its
 * check (header, payload SHA-256, model, hardware revision) makes its slot
 * unbootable at once.
 * Returns the slot that booted, or undefined when none could.
 */
export async function runBootloader(store: TerminalStore, options: BootOptions): Promise<SlotName | undefined> {
  const rec = store.record;
  const first = rec.bootSlot;
  for (const slot of [first, otherSlot(first)]) {
    for (;;) {
      const s = rec.slots[slot];
      if (s.state !== 'good' && s.state !== 'pending') break;
      if (s.state === 'pending') {
        if (s.triesLeft === 0) {
          store.setSlot(slot, 'unbootable', 0);
          store.log(`boot: slot ${slot} has no tries left, marked unbootable`);
          break;
        }
        store.setSlot(slot, 'pending', s.triesLeft - 1);
        store.log(`boot: trying slot ${slot} (${s.version}, pending, ${s.triesLeft - 1} tries left)`);
      } else {
        store.log(`boot: trying slot ${slot} (${s.version}, good)`);
      }
      await options.attemptDelay();
      const problem = await checkImage(store, slot);
      if (problem) {
        store.setSlot(slot, 'unbootable', 0);
        store.log(`boot: slot ${slot} image check failed (${problem}), marked unbootable`);
        break;
      }
      if (s.state === 'pending' && options.pendingSlotsFail) {
        store.log(`boot: slot ${slot} kernel panic during boot, watchdog reset`);
        continue;
      }
      rec.runningSlot = slot;
      rec.bootSlot = slot;
      store.log(`boot: running slot ${slot} version ${s.version}`);
      await store.save();
      return slot;
    }
  }
  store.log('boot: no bootable slot, terminal halted');
  await store.save();
  return undefined;
}

async function checkImage(store: TerminalStore, slot: SlotName): Promise<string | undefined> {
  try {
    const header = verifyFirmwareImage(await store.readSlot(slot));
    if (header.model !== store.record.model) return `image for model ${header.model}, terminal is ${store.record.model}`;
    // A board revision has its own drivers and partition layout: the same model's image for another revision does not boot.
    if (header.hwRevision !== store.record.hwRevision) return `image for hardware revision ${header.hwRevision}, terminal is ${store.record.hwRevision}`;
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
