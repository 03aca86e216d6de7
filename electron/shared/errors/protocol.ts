import { defineErrors } from './error-entry';

/** Failures of the ZTE terminal agent protocol (see docs/agent-protocol.md). */
export const protocolErrors = defineErrors({
  FRAME_BAD_CRC: {
    code: 'ZUC-3001',
    title: 'Corrupted data on the link',
    cause: 'A frame from the terminal failed its CRC check: electrical noise, a bad cable, or a wrong baud rate.',
    remedy: 'Use a shorter or shielded cable, check the baud rate, then try again.',
    retryable: true,
    fumo: 410,
    tr069: 9017,
  },
  FRAME_TRUNCATED: {
    code: 'ZUC-3002',
    title: 'Incomplete data from the terminal',
    cause: 'The link closed or went quiet in the middle of a frame.',
    remedy: 'Check the cable and try again.',
    retryable: true,
    fumo: 410,
    tr069: 9017,
  },
  FRAME_MALFORMED: {
    code: 'ZUC-3003',
    title: 'The terminal sent something the console does not understand',
    cause: 'A frame had a bad header, an impossible length, an unknown type or a payload that does not match its command.',
    remedy: 'Make sure the terminal is in update mode and no other program uses the port. Update the console if the terminal is newer.',
    retryable: true,
    fumo: 410,
    tr069: 9002,
  },
  FRAME_OUT_OF_ORDER: {
    code: 'ZUC-3004',
    title: 'Frames arrived out of order',
    cause: 'A response carried an unexpected sequence number: a frame was lost or duplicated on the link.',
    remedy: 'Try again; if it repeats, check the cable and the link speed.',
    retryable: true,
    fumo: 410,
    tr069: 9017,
  },
  DEVICE_REJECTED: {
    code: 'ZUC-3005',
    title: 'The terminal refused the request',
    cause: 'The terminal’s update agent answered with an error (named in the details).',
    remedy: 'Read the details and the device log; the active slot was not changed.',
    retryable: false,
    fumo: 410,
    tr069: 9002,
  },
  AGENT_UNSUPPORTED: {
    code: 'ZUC-3006',
    title: 'The terminal’s update agent is not supported',
    cause: 'The terminal speaks a version of the agent protocol this console does not know.',
    remedy: 'Update the console, or flash the terminal over its recovery interface.',
    retryable: false,
    fumo: 408,
    tr069: 9000,
  },
});
