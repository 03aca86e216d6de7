import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SlotNameSchema, SlotStateSchema, type SlotName, type SlotState } from '../../electron/shared/contract';
import { E, ZucError } from '../../electron/shared/errors';

/** Device log lines kept; older ones are dropped like a ring buffer in flash. */
export const MAX_LOG_LINES = 2000;
/** A slot file being deleted after an erase: `slot-b.bin.erasing-1a2b3c4d`. */
const ERASING_SUFFIX = '.erasing-';
/** Erased flash reads as 0xFF. */
const ERASED_BYTE = 0xff;

const SlotRecordSchema = z.object({
  state: SlotStateSchema,
  triesLeft: z.number().int().min(0).max(15),
  version: z.string().max(64),
});
export type SlotRecord = z.infer<typeof SlotRecordSchema>;

const TerminalRecordSchema = z.object({
  format: z.literal(1),
  serial: z.string().min(1).max(64),
  model: z.string().min(1).max(32),
  hwRevision: z.string().min(1).max(16),
  slotSize: z.number().int().positive(),
  /** The slot that booted last. */
  runningSlot: SlotNameSchema,
  /** The slot the bootloader tries first. */
  bootSlot: SlotNameSchema,
  slots: z.object({ a: SlotRecordSchema, b: SlotRecordSchema }),
  /** Protocol v2: a write that ended before WRITE_END, resumable from `acknowledged`. */
  interruptedWrite: z
    .object({
      slot: SlotNameSchema,
      totalLength: z.number().int().positive(),
      imageSha256: z.string().regex(/^[0-9a-f]{64}$/),
      acknowledged: z.number().int().nonnegative(),
    })
    .optional(),
  log: z.array(z.string()),
});
export type TerminalRecord = z.infer<typeof TerminalRecordSchema>;

export interface NewTerminal {
  serial?: string;
  model: string;
  hwRevision: string;
  slotSize: number;
  /** Image in slot a, good and running. */
  initialImage: Uint8Array;
  initialVersion: string;
  maxTries: number;
}

/**
 * A simulated terminal's persistent state in one folder: state.json (boot
 * control, versions, log) and slot-a.bin / slot-b.bin (the slots' bytes).
 */
export class TerminalStore {
  private saving: Promise<void> = Promise.resolve();
  private constructor(
    readonly dir: string,
    readonly record: TerminalRecord,
  ) {}

  /** Opens the terminal stored in `dir`, or creates one there from `fresh`. */
  static async open(dir: string, fresh: NewTerminal): Promise<TerminalStore> {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'state.json');
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ZucError(E.BAD_CONFIG, `${file}: ${(err as Error).message}`);
    }
    if (text !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ZucError(E.BAD_CONFIG, `${file} is not JSON`);
      }
      const result = TerminalRecordSchema.safeParse(parsed);
      if (!result.success) throw new ZucError(E.BAD_CONFIG, `${file}: ${result.error.issues[0]?.path.join('.')} ${result.error.issues[0]?.message}`);
      // Old slot files whose background deletion a power-off interrupted.
      for (const name of await readdir(dir)) if (name.includes(ERASING_SUFFIX)) await unlink(path.join(dir, name)).catch(() => undefined);
      return new TerminalStore(dir, result.data);
    }
    const store = new TerminalStore(dir, {
      format: 1,
      serial: fresh.serial ?? `ZTE${randomBytes(5).toString('hex').toUpperCase()}`,
      model: fresh.model,
      hwRevision: fresh.hwRevision,
      slotSize: fresh.slotSize,
      runningSlot: 'a',
      bootSlot: 'a',
      slots: {
        a: { state: 'good', triesLeft: fresh.maxTries, version: fresh.initialVersion },
        b: { state: 'empty', triesLeft: 0, version: '' },
      },
      log: [],
    });
    await writeFile(store.slotPath('a'), fresh.initialImage);
    await writeFile(store.slotPath('b'), new Uint8Array());
    store.log(`factory: slot a holds ${fresh.initialVersion}`);
    await store.save();
    return store;
  }

  slotPath(slot: SlotName): string {
    return path.join(this.dir, `slot-${slot}.bin`);
  }

  setSlot(slot: SlotName, state: SlotState, triesLeft: number, version = this.record.slots[slot].version): void {
    this.record.slots[slot] = { state, triesLeft, version };
  }

  log(text: string): void {
    this.record.log.push(`${new Date().toISOString()} ${text}`);
    if (this.record.log.length > MAX_LOG_LINES) this.record.log.splice(0, this.record.log.length - MAX_LOG_LINES);
  }

  /** Writes state.json atomically, so a crash never leaves half a file. */
  /**
   * Writes state.json (via a temp file and rename). Saves run one after the
   * other: a write's checkpoint is saved in the background while commands
   * save too, and two writers of the temp file would interleave.
   */
  save(): Promise<void> {
    const next = this.saving.then(async () => {
      const file = path.join(this.dir, 'state.json');
      await writeFile(`${file}.tmp`, JSON.stringify(this.record, null, 2));
      await rename(`${file}.tmp`, file);
    });
    this.saving = next.catch(() => undefined);
    return next;
  }

  /** The bytes written to a slot (without the erased remainder). */
  async readSlot(slot: SlotName): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.slotPath(slot)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Uint8Array();
      throw err;
    }
  }

  /** Opens a slot for writing without erasing it (a resumed write). */
  /** The first `length` bytes of a slot (fewer when it holds fewer). */
  async readSlotHead(slot: SlotName, length: number): Promise<Uint8Array> {
    let file: FileHandle;
    try {
      file = await open(this.slotPath(slot), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Uint8Array();
      throw err;
    }
    try {
      const out = new Uint8Array(length);
      const { bytesRead } = await file.read(out, 0, length, 0);
      return out.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }

  async openForResume(slot: SlotName): Promise<FileHandle> {
    return open(this.slotPath(slot), 'r+');
  }

  /**
   * Flips one bit of the middle byte of what a slot stores (flash decay, the
   * bit-rot fault); returns the byte's offset, or undefined for an empty slot.
   */
  async flipBit(slot: SlotName): Promise<number | undefined> {
    const file = await open(this.slotPath(slot), 'r+');
    try {
      const { size } = await file.stat();
      if (size === 0) return undefined;
      const at = Math.floor(size / 2);
      const byte = new Uint8Array(1);
      await file.read(byte, 0, 1, at);
      byte[0] = byte[0]! ^ 0x10;
      await file.write(byte, 0, 1, at);
      return at;
    } finally {
      await file.close();
    }
  }

  /** Replaces a slot's bytes at once (the result of an on-device delta). */
  async replaceSlot(slot: SlotName, bytes: Uint8Array): Promise<void> {
    await writeFile(`${this.slotPath(slot)}.tmp`, bytes);
    await rename(`${this.slotPath(slot)}.tmp`, this.slotPath(slot));
  }

  /** `length` bytes from `offset`, erased bytes included. */
  async readRange(slot: SlotName, offset: number, length: number): Promise<Uint8Array> {
    const stored = await this.readSlot(slot);
    const out = new Uint8Array(length).fill(ERASED_BYTE);
    out.set(stored.subarray(offset, offset + length));
    return out;
  }

  /**
   * Erases a slot and opens it for writing from offset 0. The old file is
   * renamed away and deleted in the background: truncating (or overwriting)
   * a freshly written 64 MiB file waits for its pages to reach the disk,
   * 60 ms and more of every write, where a new file waits for nothing.
   */
  async openForWrite(slot: SlotName): Promise<FileHandle> {
    const file = this.slotPath(slot);
    const old = `${file}${ERASING_SUFFIX}${randomBytes(4).toString('hex')}`;
    try {
      await rename(file, old);
      void unlink(old).catch(() => undefined);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return open(file, 'w');
  }

  /** SHA-256 of the first `length` bytes, erased bytes included. */
  async hashSlot(slot: SlotName, length: number): Promise<Uint8Array> {
    const stored = await this.readSlot(slot);
    const hash = createHash('sha256').update(stored.subarray(0, length));
    if (length > stored.length) hash.update(new Uint8Array(length - stored.length).fill(ERASED_BYTE));
    return new Uint8Array(hash.digest());
  }
}
