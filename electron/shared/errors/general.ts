import { defineErrors } from './error-entry';

export const generalErrors = defineErrors({
  SUCCESS: {
    code: 'ZUC-0000',
    title: 'Update successful',
    cause: 'The terminal booted the new firmware from the other slot and confirmed it.',
    remedy: 'Nothing to do.',
    retryable: false,
    fumo: 200,
    tr069: 0,
  },
  INTERNAL: {
    code: 'ZUC-9001',
    title: 'Internal error in the console',
    cause: 'The console hit a condition its authors did not expect. The terminal was left as the job log describes.',
    remedy: 'Export the job log and send it to the console developers; retrying once is safe.',
    retryable: true,
    fumo: 409,
    tr069: 9002,
  },
  DATABASE: {
    code: 'ZUC-9002',
    title: 'The local job database cannot be used',
    cause: 'The SQLite file in the user data folder is missing, read-only, full or corrupt.',
    remedy: 'Check free disk space and permissions of the user data folder; move the damaged file away to start a new history.',
    retryable: false,
    fumo: 400,
    tr069: 9002,
  },
  STAGING_FAILED: {
    code: 'ZUC-9003',
    title: 'The console cannot keep the firmware image',
    cause: 'Copying the chosen image into the console’s user data folder failed: the disk is full or the folder is read-only.',
    remedy: 'Free disk space or fix the permissions of the user data folder, then choose the image again.',
    retryable: true,
    fumo: 501,
    tr069: 9004,
  },
});
