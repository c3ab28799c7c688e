/** `api`: the HTTP API and UI. First version by the config loader, extended by the API engineer. */
import { z } from 'zod';
import { duration, listen } from '../primitives.ts';

export const apiSchema = z
  .strictObject({
    listen: listen('127.0.0.1:8080'),
    /** bearer tokens (secrets); writes always need one */
    tokens: z.array(z.string().min(16, { error: 'tokens must be at least 16 characters' })).default([]),
    /** allow GETs without a token */
    openReads: z.boolean().default(false),
    /** false, true (any origin) or a list of allowed origins */
    cors: z.union([z.boolean(), z.array(z.string())]).default(false),
    /** writes per client address per window */
    rateLimit: z
      .strictObject({
        max: z.number().int().min(1).default(120),
        window: duration({ min: 1000 }).default(60_000),
      })
      .transform((r) => ({ max: r.max, timeWindowMs: r.window }))
      .prefault({}),
  })
  .prefault({});

export type ApiConfig = z.output<typeof apiSchema>;
