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
    cause: 'Retry starts a job of this console session again, on the same terminal with the same image or update. The job succeeded, its code says another try would fail the same way, it is still running, or it was started in an earlier session whose image this console no longer holds.',
    remedy: 'Read the job’s code and remedy, then start a new flash or update from the Terminals screen.',
    retryable: false,
    fumo: 400,
    tr069: 9003,
  },
});
