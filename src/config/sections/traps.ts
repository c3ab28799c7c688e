/** `traps`: the trap receiver. First version by the config loader, extended by the traps engineer. */
import { z } from 'zod';
import { cidr, keepFor, listen, nonEmpty } from '../primitives.ts';
import { checkV3, v3UserFields } from '../credentials-schema.ts';
import { TrapRulesSchema } from '../../alerts/rule-schema.ts';

const engineIdHex = z
  .string()
  .regex(/^(0x)?([0-9A-Fa-f]{2}){5,32}$/, { error: 'expected a hex engine ID (10 to 64 hex digits)' })
  .transform((s) => s.replace(/^0x/, '').toLowerCase());

export const trapUserSchema = z
  .strictObject({
    ...v3UserFields,
    /** hex engine ID of the sender (authoritative engine of v3 traps) */
    engineId: engineIdHex.optional(),
    /** several senders sharing this user; with neither, engine IDs are learned (see learnEngineIds) */
    engineIds: z.array(engineIdHex).optional(),
    allowFrom: z.array(cidr()).optional(),
  })
  .transform(({ engineId, engineIds, allowFrom, ...raw }, ctx) => ({
    ...checkV3(raw, ctx),
    engineIds: [...(engineId ? [engineId] : []), ...(engineIds ?? [])],
    allowFrom,
  }));

/** a community: the secret alone, or with a label for logs/events and its own allow-list */
export const trapCommunitySchema = z.union([
  nonEmpty().transform((community) => ({ community, name: undefined as string | undefined, allowFrom: undefined as string[] | undefined })),
  z.strictObject({ name: nonEmpty().optional(), community: nonEmpty(), allowFrom: z.array(cidr()).optional() }),
]);

/** the trap log's and learned engines' retention (src/storage/state/retention.ts), also used when the traps section is absent */
export const TRAP_LOG_DEFAULTS = { retention: 30 * 86_400_000, maxRows: 1_000_000, engineIdRetention: 30 * 86_400_000 } as const;

/** false, or a whole number of rows of at least 1000 (a smaller cap would lose a trap storm's start) */
const maxRows = () =>
  z.any().transform((v, ctx): number | false => {
    if (v === false || (Number.isInteger(v) && v >= 1000)) return v as number | false;
    ctx.issues.push({ code: 'custom', input: v, message: 'expected a whole number of rows of at least 1000, or false for no row limit' });
    return z.NEVER;
  });

export const trapsSchema = z.strictObject({
  listen: listen('127.0.0.1:162'),
  /** more sockets, e.g. `[::]:162` for IPv6 */
  listenAlso: z.array(listen('127.0.0.1:162')).default([]),
  /** secrets */
  communities: z.array(trapCommunitySchema).default([]),
  users: z.array(trapUserSchema).default([]),
  allowFrom: z.array(cidr()).optional(),
  /** our engine ID (hex), authoritative for v3 informs; default generated and kept in the state store */
  engineId: engineIdHex.optional(),
  /** accept v3 traps from sender engine IDs not configured on the user (learned, recorded) */
  learnEngineIds: z.boolean().default(true),
  /** traps being recorded at once; beyond it datagrams are dropped and counted */
  maxInFlight: z.number().int().min(1).max(1_000_000).default(10_000),
  /** worker threads for decode + USM (0 = main thread); 1 puts v3 crypto on a second core */
  workers: z.number().int().min(0).max(16).default(0),
  /** socket receive buffer, bytes */
  receiveBuffer: z.number().int().min(65_536).default(8 * 1024 * 1024),
  rules: TrapRulesSchema.default([]),
  /** append the shipped rules (coldStart, linkDown/linkUp, BGP, OSPF, ...) after `rules` */
  defaultRules: z.boolean().default(true),
  /** traps in the trap log older than this are deleted by the nightly state-retention job; false: no age limit */
  logRetention: keepFor(3_600_000).default(TRAP_LOG_DEFAULTS.retention),
  /** the trap log keeps at most this many traps (the oldest go first); false: no row limit */
  logMaxRows: maxRows().default(TRAP_LOG_DEFAULTS.maxRows),
  /** learned SNMPv3 sender engines (engine ID, time window) not seen for this long are deleted by the same job; false: kept forever */
  engineIdRetention: keepFor(3_600_000).default(TRAP_LOG_DEFAULTS.engineIdRetention),
});

export type TrapsConfig = z.output<typeof trapsSchema>;
