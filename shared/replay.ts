/** Replaying an exchange from the log through the mesh, optionally edited or pinned to a version. */
import { z } from 'zod';
import { headerPairsSchema, wireBodySchema } from './exchange.js';

export const replayInputSchema = z.strictObject({
  id: z.number().int(),
  /** Send to this version of the exchange's service (the x-meshdesk-route override). */
  version: z.string().min(1).optional(),
  method: z
    .string()
    .regex(/^[A-Z]+$/, 'an HTTP method in capitals')
    .optional(),
  path: z.string().startsWith('/').optional(),
  /** Replaces the original's headers (masked ones were never kept and are not sent). */
  headers: headerPairsSchema.optional(),
  body: z.object({ data: z.string(), encoding: z.enum(['utf8', 'base64']) }).optional(),
});
export type ReplayInput = z.infer<typeof replayInputSchema>;

export const replayResultSchema = z.object({
  status: z.number().int(),
  headers: headerPairsSchema,
  body: wireBodySchema,
  /** The version that answered, when the mesh says (x-meshdesk-version). */
  version: z.string().nullable(),
  ms: z.number(),
});
export type ReplayResult = z.infer<typeof replayResultSchema>;
