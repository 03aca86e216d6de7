import { defineErrors } from './error-entry';

/** The console's own configuration: the settings file and the discovery of terminals. */
export const configErrors = defineErrors({
  BAD_CONFIG: {
    code: 'ZUC-1100',
    title: 'The settings file is not valid',
    cause: 'The settings file in the console’s data folder cannot be read as JSON, or a field in it has a value the console does not accept. The console runs with default settings and leaves the file as it is.',
    remedy: 'Correct the field named in the message (or delete the file to start from defaults), then restart the console; saving settings from the Settings screen replaces the file.',
    retryable: false,
    fumo: 400,
    tr069: 9003,
  },
  SETTING_REFUSED: {
    code: 'ZUC-1101',
    title: 'A setting was refused',
    cause: 'A value entered for a setting is outside what the console accepts (for example a catalog address that is not http or https, or a concurrency of zero).',
    remedy: 'Correct the field named in the message and save again.',
    retryable: false,
    fumo: 400,
    tr069: 9007,
  },
  SETTINGS_WRITE_FAILED: {
    code: 'ZUC-1102',
    title: 'The settings could not be saved',
    cause: 'Writing the settings file in the console’s data folder failed (disk full, read-only folder, missing permissions). The previous settings stay in force.',
    remedy: 'Free disk space or fix the permissions of the data folder, then save again.',
    retryable: true,
    fumo: 400,
    tr069: 9002,
  },
  USB_UNAVAILABLE: {
    code: 'ZUC-1110',
    title: 'USB terminals cannot be detected',
    cause: 'The operating system gives the console no access to USB devices (no USB subsystem, missing permissions or udev rules). Serial and TCP terminals still work.',
    remedy: 'On Linux install the console’s udev rules and log in again; otherwise connect the terminal over a serial port or the network.',
    retryable: true,
    fumo: 400,
    tr069: 9002,
  },
  PORT_LIST_FAILED: {
    code: 'ZUC-1111',
    title: 'Serial ports cannot be listed',
    cause: 'Asking the operating system for its serial ports failed (on Linux this needs udev). Ports added by path still work.',
    remedy: 'Add the terminal’s port by its path (for example /dev/ttyUSB0) in the Terminals screen.',
    retryable: true,
    fumo: 400,
    tr069: 9002,
  },
});
