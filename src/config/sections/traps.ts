/** `traps`: the trap receiver. First version by the config loader; the traps engineer may extend it. */
import { z } from 'zod';
import { cidr, listen, nonEmpty } from '../primitives.ts';
import { checkV3, v3UserFields } from '../credentials-schema.ts';

export const trapUserSchema = z
  .strictObject({
    ...v3UserFields,
    /** hex engine ID of the sender (authoritative engine of v3 traps) */
    engineId: z.string().regex(/^(0x)?([0-9A-Fa-f]{2}){5,32}$/, { error: 'expected a hex engine ID (10 to 64 hex digits)' }).optional(),
    allowFrom: z.array(cidr()).optional(),
  })
  .transform(({ engineId, allowFrom, ...raw }, ctx) => ({ ...checkV3(raw, ctx), engineId: engineId?.replace(/^0x/, '').toLowerCase(), allowFrom }));

export const trapsSchema = z.strictObject({
  listen: listen('127.0.0.1:162'),
  /** secrets */
  communities: z.array(nonEmpty()).default([]),
  users: z.array(trapUserSchema).default([]),
  allowFrom: z.array(cidr()).optional(),
  /** validated by the alerts engine */
  rules: z.array(z.looseObject({})).default([]),
});

export type TrapsConfig = z.output<typeof trapsSchema>;
