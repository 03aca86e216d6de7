import { defineErrors } from './error-entry';

/** Failures of the byte link to a terminal: TCP, serial, USB. */
export const linkErrors = defineErrors({
  TERMINAL_UNREACHABLE: {
    code: 'ZUC-2001',
    title: 'Cannot reach the terminal',
    cause: 'Nothing answered at the terminal’s address: the terminal is off, the cable or network is down, or the address is wrong.',
    remedy: 'Check power and cable, make sure the terminal is in update mode, then try again.',
    retryable: true,
    fumo: 400,
    tr069: 9015,
  },
  LINK_LOST: {
    code: 'ZUC-2002',
    title: 'Connection to the terminal lost',
    cause: 'The link dropped during the job: cable pulled, terminal reset or lost power, network interrupted.',
    remedy: 'Reconnect the terminal and start the job again. The active slot was not changed before activation.',
    retryable: true,
    fumo: 410,
    tr069: 9017,
  },
  LINK_TIMEOUT: {
    code: 'ZUC-2003',
    title: 'The terminal stopped answering',
    cause: 'The terminal did not answer a request in time; it may be hung or the link may be too slow or broken.',
    remedy: 'Power-cycle the terminal, check the cable, then try again.',
    retryable: true,
    fumo: 410,
    tr069: 9020,
  },
  PORT_OPEN_FAILED: {
    code: 'ZUC-2004',
    title: 'Cannot open the serial port',
    cause: 'The serial device does not exist, is used by another program, or the user lacks permission to open it.',
    remedy: 'Close other programs using the port; on Linux add the user to the dialout group (or install the console’s udev rules).',
    retryable: true,
    fumo: 400,
    tr069: 9002,
  },
});
