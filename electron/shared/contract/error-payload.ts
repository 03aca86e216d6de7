import { z } from 'zod';

export const ErrorPayloadSchema = z.object({
  code: z.string(),
  title: z.string(),
  cause: z.string(),
  remedy: z.string(),
  retryable: z.boolean(),
  detail: z.string(),
});

export const ErrorEntrySchema = z.object({
  code: z.string(),
  title: z.string(),
  cause: z.string(),
  remedy: z.string(),
  retryable: z.boolean(),
  fumo: z.number().int(),
  tr069: z.number().int(),
});
