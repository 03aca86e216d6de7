import { defineErrors } from './error-entry';

/** Support actions on a terminal or a past job: rollback, bundles. */
export const supportErrors = defineErrors({
  ROLLBACK_UNAVAILABLE: {
    code: 'ZUC-8001',
    title: 'The other slot cannot be booted',
    cause: 'A rollback switches the terminal to its other A/B slot, and that slot is empty, unbootable, not yet confirmed, or the terminal has only one slot.',
    remedy: 'Nothing was changed. Flash a known good image onto the terminal instead of rolling back.',
    retryable: false,
    fumo: 450,
    tr069: 9001,
  },
  JOB_NOT_FOUND: {
    code: 'ZUC-8002',
    title: 'No finished job with this id',
    cause: 'The job id is not in the console’s history: it never existed, is still running, or the history was cleared.',
    remedy: 'Pick a finished job from the History screen and try again.',
    retryable: false,
    fumo: 400,
    tr069: 9003,
  },
  ROLLBACK_NOT_BOOTED: {
    code: 'ZUC-8003',
    title: 'The terminal did not stay on the other slot',
    cause: 'The console switched the terminal to its other slot and rebooted it, but the terminal came back running the slot it ran before (its bootloader refused the other one).',
    remedy: 'The terminal runs its previous firmware and works. Flash a known good image onto the other slot instead of rolling back.',
    retryable: false,
    fumo: 410,
    tr069: 9002,
  },
  RETRY_UNAVAILABLE: {
    code: 'ZUC-8010',
    title: 'This job cannot be started again from here',
    cause: 'Retry starts a failed job again, on the same terminal with the same image or update. The job succeeded, its code says another try would fail the same way, it is still running, a later job has run on the terminal since, or it was started by a console too old to store how it was started.',
    remedy: 'Read the job’s code and remedy, then start a new flash or update from the Terminals screen.',
    retryable: false,
    fumo: 400,
    tr069: 9003,
  },
  RETRY_IMAGE_CHANGED: {
    code: 'ZUC-8011',
    title: 'The image this job flashed is gone or has changed',
    cause: 'Retry flashes the very image the failed job read. That file has since been moved, deleted or overwritten (its SHA-256 no longer matches), so another try would flash something else.',
    remedy: 'Nothing was started. Check the image file, then start a new flash with the image you want from the Terminals screen.',
    retryable: false,
    fumo: 400,
    tr069: 9003,
  },
  RETRY_PLAN_DAMAGED: {
    code: 'ZUC-8012',
    title: 'How this job was started cannot be read back',
    cause: 'The history keeps, with every job, what Retry starts again. That record of this job is damaged or was written in a form this console does not know.',
    remedy: 'Nothing was started. Start a new flash or update of the terminal from the Terminals screen; the job itself stays in the history.',
    retryable: false,
    fumo: 400,
    tr069: 9002,
  },
});
