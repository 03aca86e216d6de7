import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { StoredSettingsSchema, type StoredSettings } from '../../shared/contract';
import { E, ZucError } from '../../shared/errors';

export const SETTINGS_FILE_NAME = 'settings.json';
/** Owner read/write only: the file holds the hawkBit token. */
export const SETTINGS_FILE_MODE = 0o600;
/** A settings file is a few KiB; anything far larger is not ours. */
export const MAX_SETTINGS_BYTES = 1 << 20;

export function settingsPath(dataDir: string): string {
  return path.join(dataDir, SETTINGS_FILE_NAME);
}

export const DEFAULT_SETTINGS: StoredSettings = StoredSettingsSchema.parse({});

export type LoadedSettings =
  | { kind: 'defaults' }
  | { kind: 'loaded'; settings: StoredSettings }
  /** The file exists but was refused; it is left as it is and defaults apply. */
  | { kind: 'refused'; error: ZucError };

/**
 * Reads and validates the settings file. Never throws for a bad file: the
 * console must start with defaults and say which field is wrong. Messages
 * never quote the file's content, which may hold a token. Synchronous: the
 * file is a few KiB, read once when the engine starts.
 */
export function loadSettingsFile(file: string): LoadedSettings {
  let text: string;
  try {
    const bytes = readFileSync(file);
    if (bytes.byteLength > MAX_SETTINGS_BYTES) return refuse(file, `the file is ${bytes.byteLength} bytes, more than ${MAX_SETTINGS_BYTES}`);
    text = bytes.toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'defaults' };
    return refuse(file, `cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // JSON.parse quotes the text around the fault; only its position is safe to repeat.
    const position = /position (\d+)/.exec((err as Error).message)?.[1];
    return refuse(file, position === undefined ? 'not valid JSON' : `not valid JSON at ${lineAndColumn(text, Number(position))}`);
  }
  const check = StoredSettingsSchema.safeParse(json);
  if (!check.success) {
    const fields = check.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    return refuse(file, fields.join('; '));
  }
  return { kind: 'loaded', settings: check.data };
}

/**
 * Replaces the settings file in one step: a reader sees the old file or the
 * new one, never half of it, and a crash while saving leaves the old one.
 */
export async function writeSettingsFile(file: string, settings: StoredSettings): Promise<void> {
  // Unique per save: two engines in one process (tests, a station beside the CLI) must not share a temp file.
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const handle = await open(temp, 'w', SETTINGS_FILE_MODE);
    try {
      await handle.writeFile(`${JSON.stringify(settings, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The mode given to open() is reduced by the umask, never widened: set it exactly.
    await chmod(temp, SETTINGS_FILE_MODE);
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new ZucError(E.SETTINGS_WRITE_FAILED, `${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function refuse(file: string, why: string): LoadedSettings {
  return { kind: 'refused', error: new ZucError(E.BAD_CONFIG, `${file}: ${why}`) };
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}
