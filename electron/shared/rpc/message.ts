import { z } from 'zod';
import { ErrorPayloadSchema } from '../contract/error-payload';

/** The four messages every binding of the contract exchanges. */
export const RpcMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: z.number().int().nonnegative(), method: z.string(), request: z.unknown() }),
  z.object({ t: z.literal('ok'), id: z.number().int().nonnegative(), value: z.unknown() }),
  z.object({ t: z.literal('err'), id: z.number().int().nonnegative(), error: ErrorPayloadSchema }),
  z.object({ t: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);
export type RpcMessage = z.infer<typeof RpcMessageSchema>;

/** A two-way message pipe: a WebSocket, an Electron IPC port, or an in-process pair. */
export interface MessageLink {
  send(message: RpcMessage): void;
  /** Every received message, unvalidated: the RPC layer validates. */
  onMessage(listener: (message: unknown) => void): { dispose(): void };
}
