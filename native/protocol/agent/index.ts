export {
  AgentClient,
  createAgentClient,
  DEFAULT_CHUNK_BYTES,
  DEFAULT_WINDOW_CHUNKS,
  FAST_LINK_CHUNK_BYTES,
  FAST_LINK_WINDOW_CHUNKS,
  HASH_TIMEOUT_MS,
  RESPONSE_TIMEOUT_MS,
  WRITE_ACK_TIMEOUT_MS,
  type AgentClientOptions,
} from './agent-client';
export { Command, DeviceError, commandName, deviceErrorName } from './commands';
export { connectAgent } from './connect-agent';
export { crc32 } from './crc32';
export { encodeFrame, FrameFlag, FRAME_HEADER_BYTES, FRAME_TRAILER_BYTES, MAX_PAYLOAD_BYTES, PROTOCOL_VERSION, type Frame } from './frame';
export { FrameDecoder, type DecodeEvent } from './frame-decoder';
export { AGENT_PROTOCOL_VERSION, Capability } from './messages';
export type { IdentifyExtension, IdentifyReport, IdentifyReportV2, SlotsReport } from './messages';
