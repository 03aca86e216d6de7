import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { E, ZucError } from '../../shared/errors';
import { logText } from '../../shared/job-log';
import { FIRMWARE_HEADER_SIZE, parseFirmwareHeader } from '../../../native/firmware';
import type { Action } from './flash-actions';
import { reachTerminal } from './reach-terminal';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** A serial becomes a folder name: only characters that are safe in a path on every OS. */
function folderName(serial: string): string {
  return serial.replace(/[^A-Za-z0-9_-]/g, '_') || 'unknown';
}

/**
 * A single-slot terminal is about to have its only image overwritten: read
 * that image back, check it against the terminal's own hash and keep it in
 * `<dataDir>/backups/<serial>/<time>.img`, so a failed update can be undone.
 * Any problem here fails the job with nothing written.
 */
export const backUpRunningImage: Action = async (ctx, io, signal) => {
  const before = ctx.before;
  if (!before) throw new ZucError(E.INTERNAL, 'backup ran before detect');
  if (!io.backupDir) throw new ZucError(E.BACKUP_FAILED, 'this console has no data folder to keep a backup in');
  io.log('warn', logText('backing-up', { serial: before.serial }));
  const slot = before.activeSlot;
  let length: number;
  try {
    length = parseFirmwareHeader(await io.session.readSlot(slot, FIRMWARE_HEADER_SIZE, { signal })).imageLength;
  } catch (err) {
    const error = ZucError.from(err);
    throw error.code === E.IMAGE_NO_HEADER.code ? new ZucError(E.BACKUP_FAILED, `slot ${slot} holds no readable firmware header: ${error.detail}`) : error;
  }
  if (length > before.slotSize) throw new ZucError(E.BACKUP_FAILED, `slot ${slot}'s header claims ${length} bytes, the slot holds ${before.slotSize}`);
  const bytes = await io.session.readSlot(slot, length, { signal });
  const digest = sha256(bytes);
  const onDevice = hex(await io.session.hashSlot(slot, length));
  if (digest !== onDevice) throw new ZucError(E.BACKUP_FAILED, `the ${length} bytes read from slot ${slot} hash to ${digest}, the terminal says ${onDevice}`);
  const folder = path.join(io.backupDir, folderName(before.serial));
  const file = path.join(folder, `${new Date(io.clock.now()).toISOString().replace(/[:.]/g, '-')}.img`);
  try {
    await mkdir(folder, { recursive: true });
    await writeFile(file, bytes);
    // What restore will read must be what the terminal holds: check the file, not just the buffer.
    const stored = sha256(await readFile(file));
    if (stored !== digest) throw new Error(`stored file hashes to ${stored}, expected ${digest}`);
  } catch (err) {
    throw new ZucError(E.BACKUP_FAILED, `${file}: ${(err as Error).message}`);
  }
  ctx.backup = { path: file, length, sha256: digest, version: before.firmwareVersion };
  io.log('info', logText('backed-up', { version: before.firmwareVersion, bytes: length, sha256: digest, file }));
};

/**
 * The update of a single-slot terminal failed after its image was
 * overwritten: write the backup back, boot it and confirm it. This takes a
 * full write and a reboot; there is no instant rollback on such terminals.
 */
export const restoreBackup: Action = async (ctx, io, signal) => {
  const backup = ctx.backup;
  const slot = ctx.targetSlot;
  if (!backup || !slot) throw new ZucError(E.INTERNAL, 'restore ran without a backup');
  io.log('warn', logText('restoring', { version: backup.version, file: backup.path }));
  const bytes = await readFile(backup.path).catch((err: Error) => {
    throw new ZucError(E.ROLLBACK_FAILED, `cannot read the backup ${backup.path}: ${err.message}`);
  });
  if (sha256(bytes) !== backup.sha256) throw new ZucError(E.ROLLBACK_FAILED, `the backup ${backup.path} changed since it was taken`);
  await reachTerminal(io, signal);
  await io.session.writeSlot(slot, bytes, { signal });
  const written = hex(await io.session.hashSlot(slot, backup.length));
  if (written !== backup.sha256) throw new ZucError(E.ROLLBACK_FAILED, `slot ${slot} hashes to ${written} after writing the backup back, expected ${backup.sha256}`);
  await io.session.setActive(slot);
  await io.session.reboot();
  let now = await io.session.awaitBoot(signal);
  if (now.firmwareVersion !== backup.version || now.slots[slot].state === 'unbootable') {
    throw new ZucError(E.ROLLBACK_FAILED, `after restoring the backup the terminal runs '${now.firmwareVersion}' (slot ${slot} ${now.slots[slot].state}), expected ${backup.version}`);
  }
  if (now.slots[slot].state === 'pending') {
    await io.session.confirm();
    now = await io.session.identify();
  }
  ctx.latest = now;
  io.log('info', logText('restored', { version: now.firmwareVersion }));
};
