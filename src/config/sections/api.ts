/** `api`: the HTTP API and UI. First version by the config loader; the API engineer may extend it. */
import { z } from 'zod';
import { listen } from '../primitives.ts';

export const apiSchema = z
  .strictObject({
    listen: listen('127.0.0.1:8080'),
    /** bearer tokens (secrets); writes always need one */
    tokens: z.array(z.string().min(16, { error: 'tokens must be at least 16 characters' })).default([]),
    /** allow GETs without a token */
    openReads: z.boolean().default(false),
    /** false, true (any origin) or a list of allowed origins */
    cors: z.union([z.boolean(), z.array(z.string())]).default(false),
  })
  .prefault({});

export type ApiConfig = z.output<typeof apiSchema>;
