import type { ErrorEntry } from '../../../electron/shared/errors';
import { E, ZucError } from '../../../electron/shared/errors';
import { commandName, DeviceError, deviceErrorName } from './commands';
import type { ErrorReply } from './messages';

/** How each device error code surfaces to the user (docs/agent-protocol.md "Error replies"). */
const ENTRY_BY_DEVICE_ERROR: Record<number, ErrorEntry> = {
  [DeviceError.UNKNOWN_COMMAND]: E.AGENT_UNSUPPORTED,
  [DeviceError.BAD_CRC]: E.FRAME_BAD_CRC,
  [DeviceError.OUT_OF_SEQUENCE]: E.FRAME_OUT_OF_ORDER,
  [DeviceError.SLOT_ACTIVE]: E.SLOT_IS_RUNNING,
  [DeviceError.TOO_LARGE]: E.IMAGE_TOO_LARGE,
  [DeviceError.UNSUPPORTED_VERSION]: E.AGENT_UNSUPPORTED,
  [DeviceError.STORAGE]: E.DEVICE_STORAGE_FAILED,
  [DeviceError.SOURCE_MISMATCH]: E.DEVICE_SOURCE_MISMATCH,
  [DeviceError.DELTA_FAILED]: E.DEVICE_DELTA_FAILED,
  [DeviceError.HASH_MISMATCH]: E.DEVICE_DELTA_FAILED,
};

/** The ZucError for an error reply to `type`; the device's own words go in the detail. */
export function deviceErrorToZuc(reply: ErrorReply, type: number): ZucError {
  const entry = ENTRY_BY_DEVICE_ERROR[reply.code] ?? E.DEVICE_REJECTED;
  return new ZucError(entry, `terminal answered ${commandName(type)} with ${deviceErrorName(reply.code)}: ${reply.message}`);
}
