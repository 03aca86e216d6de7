export { createServiceClient } from './client';
export { serveService } from './serve';
export { decodeJsonWire, encodeJsonWire } from './json-wire';
export { RpcMessageSchema, type MessageLink, type RpcMessage } from './message';
