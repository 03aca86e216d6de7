import { z } from 'zod';

/** Largest image the console accepts through the contract (bytes). */
export const MAX_STAGED_IMAGE_BYTES = 512 * 1024 * 1024;

/** What the console read from an image before any byte goes to a terminal. */
export const StagedImageSchema = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** From the image header; null when the file has none. */
  model: z.string().nullable(),
  hwRevision: z.string().nullable(),
  version: z.string().nullable(),
});
export type StagedImage = z.infer<typeof StagedImageSchema>;

/** An image for a job: a file the engine can read, or one staged through the contract. */
export const ImageRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1) }),
  z.object({ kind: z.literal('staged'), id: z.string().min(1) }),
]);
export type ImageRef = z.infer<typeof ImageRefSchema>;
