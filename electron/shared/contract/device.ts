import { z } from 'zod';
import { ErrorPayloadSchema } from './error-payload';

export const SlotNameSchema = z.enum(['a', 'b']);
export type SlotName = z.infer<typeof SlotNameSchema>;

/**
 * State of one firmware slot as the terminal's boot control reports it:
 * - `good`: booted and confirmed; the bootloader may always boot it.
 * - `pending`: activated, not yet confirmed; each unconfirmed boot uses a try.
 * - `unbootable`: tries used up, or marked so while being written.
 * - `empty`: nothing was ever written.
 */
export const SlotStateSchema = z.enum(['good', 'pending', 'unbootable', 'empty']);
export type SlotState = z.infer<typeof SlotStateSchema>;

export const SlotInfoSchema = z.object({
  /** Firmware version in the slot, '' when empty. */
  version: z.string().max(64),
  state: SlotStateSchema,
  /** Boot tries left before the bootloader gives up on this slot. */
  triesLeft: z.number().int().min(0).max(15),
});
export type SlotInfo = z.infer<typeof SlotInfoSchema>;

export const TransportKindSchema = z.enum(['tcp', 'serial', 'usb', 'memory']);
export type TransportKind = z.infer<typeof TransportKindSchema>;

/** What `zuc devices --json` prints per terminal, and what every screen shows. */
export const TerminalInfoSchema = z.object({
  address: z.string(),
  transport: TransportKindSchema,
  model: z.string().max(64),
  hwRevision: z.string().max(32),
  serial: z.string().max(64),
  /** Version running now (of the active slot). */
  firmwareVersion: z.string().max(64),
  activeSlot: SlotNameSchema,
  slots: z.object({ a: SlotInfoSchema, b: SlotInfoSchema }),
  /** Bytes one slot can hold. */
  slotSize: z.number().int().nonnegative(),
  agentVersion: z.number().int().positive(),
});
export type TerminalInfo = z.infer<typeof TerminalInfoSchema>;

/**
 * Connection state of a terminal the console knows.
 *
 *   connecting ──► ready ◄──► busy
 *        │           │
 *        └──► offline ◄┘   (link lost; `offline` ──► connecting on retry)
 */
export const DeviceStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('connecting') }),
  z.object({ kind: z.literal('ready') }),
  z.object({ kind: z.literal('busy'), jobId: z.string() }),
  z.object({ kind: z.literal('offline'), error: ErrorPayloadSchema }),
]);
export type DeviceState = z.infer<typeof DeviceStateSchema>;

export const DeviceViewSchema = z.object({
  address: z.string(),
  /** Last identity read from the terminal; null until it answered once. */
  info: TerminalInfoSchema.nullable(),
  state: DeviceStateSchema,
});
export type DeviceView = z.infer<typeof DeviceViewSchema>;
