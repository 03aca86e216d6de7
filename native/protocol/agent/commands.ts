/** Command codes (the frame `type`), docs/agent-protocol.md "Commands". */
export const Command = {
  IDENTIFY: 0x01,
  READ_SLOTS: 0x02,
  WRITE_BEGIN: 0x10,
  WRITE_CHUNK: 0x11,
  WRITE_END: 0x12,
  HASH_SLOT: 0x13,
  /** v2 */
  READ_SLOT: 0x14,
  SET_ACTIVE: 0x20,
  REBOOT: 0x21,
  CONFIRM: 0x22,
  READ_LOG: 0x30,
  /** v2: on-device delta. */
  DELTA_BEGIN: 0x40,
  DELTA_CHUNK: 0x41,
  DELTA_END: 0x42,
} as const;
export type CommandCode = (typeof Command)[keyof typeof Command];

export function commandName(type: number): string {
  const found = Object.entries(Command).find(([, code]) => code === type);
  return found ? found[0] : `0x${type.toString(16).padStart(2, '0')}`;
}

/** Error codes a device puts in an error reply, docs/agent-protocol.md "Error replies". */
export const DeviceError = {
  UNKNOWN_COMMAND: 1,
  BAD_PAYLOAD: 2,
  BAD_CRC: 3,
  OUT_OF_SEQUENCE: 4,
  WRONG_STATE: 5,
  SLOT_ACTIVE: 6,
  TOO_LARGE: 7,
  CHUNK_TOO_LARGE: 8,
  BAD_OFFSET: 9,
  INCOMPLETE: 10,
  SLOT_EMPTY: 11,
  BAD_SLOT: 12,
  UNSUPPORTED_VERSION: 13,
  STORAGE: 14,
  /** v2 */
  SOURCE_MISMATCH: 15,
  DELTA_FAILED: 16,
  HASH_MISMATCH: 17,
} as const;
export type DeviceErrorCode = (typeof DeviceError)[keyof typeof DeviceError];

export function deviceErrorName(code: number): string {
  const found = Object.entries(DeviceError).find(([, c]) => c === code);
  return found ? found[0] : `device error ${code}`;
}
