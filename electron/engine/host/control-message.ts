import { z } from 'zod';

/**
 * Messages between the desktop main process and the engine host that are
 * not part of the service contract. Their `t` values never collide with an
 * RpcMessage's, so both share the one parent port.
 */
export const ShutdownRequestSchema = z.object({ t: z.literal('shutdown') });
export type ShutdownRequest = z.infer<typeof ShutdownRequestSchema>;

/** Main asks the engine to close its database and devices, then exit 0. */
export const SHUTDOWN_REQUEST: ShutdownRequest = { t: 'shutdown' };
