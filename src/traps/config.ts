import { z } from 'zod';
import { AUTH_PROTOCOLS, PRIV_PROTOCOLS } from '../model/credentials.ts';
import { TrapRuleSchema } from '../alerts/rule-schema.ts';
import { cidrProblem } from './acl.ts';

const cidr = z.string().superRefine((s, ctx) => {
  const p = cidrProblem(s);
  if (p) ctx.addIssue({ code: 'custom', message: `"${s}": ${p}` });
});
const hex = z
  .string()
  .transform((s) => s.replace(/^0x/i, '').replace(/[:\s]/g, ''))
  .refine((s) => /^([0-9a-fA-F]{2}){5,32}$/.test(s), { message: 'expected an engine ID of 5–32 bytes in hex' });

/** `0.0.0.0:162`, `[::]:162`, `127.0.0.1:0` */
export function parseListen(s: string): { address: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(s.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { address: m[1] ?? m[2], port };
}

const listen = z.string().refine((s) => parseListen(s) !== undefined, { message: 'expected ADDRESS:PORT, e.g. 0.0.0.0:162 or [::]:162' });

export const TrapCommunitySchema = z.object({
  /** label used in events and logs instead of the secret */
  name: z.string().min(1).optional(),
  community: z.string().min(1),
  allow: z.array(cidr).default([]),
});

export const TrapUserSchema = z
  .object({
    user: z.string().min(1),
    level: z.enum(['noAuthNoPriv', 'authNoPriv', 'authPriv']),
    authProtocol: z.enum(AUTH_PROTOCOLS).optional(),
    authKey: z.string().min(8, 'USM passwords need at least 8 characters').optional(),
    privProtocol: z.enum(PRIV_PROTOCOLS).optional(),
    privKey: z.string().min(8, 'USM passwords need at least 8 characters').optional(),
    /** senders' engine IDs (hex) this user may send traps from; empty = learn on first authentic trap */
    engineIds: z.array(hex).default([]),
    allow: z.array(cidr).default([]),
  })
  .superRefine((u, ctx) => {
    if (u.level !== 'noAuthNoPriv' && (!u.authProtocol || !u.authKey)) ctx.addIssue({ code: 'custom', message: `${u.level} needs authProtocol and authKey` });
    if (u.level === 'authPriv' && (!u.privProtocol || !u.privKey)) ctx.addIssue({ code: 'custom', message: 'authPriv needs privProtocol and privKey' });
  });

export const TrapsConfigSchema = z.object({
  enabled: z.boolean().default(true),
  listen: z.union([listen, z.array(listen).min(1)]).default('127.0.0.1:162'),
  communities: z.array(TrapCommunitySchema).default([]),
  users: z.array(TrapUserSchema).default([]),
  /** our engine ID for informs (hex); default: generated and kept in the state store */
  engineId: hex.optional(),
  /** accept v3 traps from engine IDs not listed on the user (learned and recorded) */
  learnEngineIds: z.boolean().default(true),
  /** global source allow-list, on top of the per-community/user ones */
  allow: z.array(cidr).default([]),
  /** traps being recorded at once; beyond it datagrams are dropped and counted */
  maxInFlight: z.number().int().min(1).max(1_000_000).default(10_000),
  /** worker threads for decode + USM (0 = on the main thread); 1 uses a second core */
  workers: z.number().int().min(0).max(16).default(0),
  /** socket receive buffer in bytes (absorbs bursts) */
  receiveBuffer: z.number().int().min(65_536).default(8 * 1024 * 1024),
  rules: z.array(TrapRuleSchema).default([]),
  /** append the shipped rules (coldStart, linkDown/Up, BGP, OSPF, ...) after `rules` */
  defaultRules: z.boolean().default(true),
});

export type TrapsConfig = z.output<typeof TrapsConfigSchema>;
export type TrapsConfigInput = z.input<typeof TrapsConfigSchema>;
export type TrapUser = z.output<typeof TrapUserSchema>;
export type TrapCommunity = z.output<typeof TrapCommunitySchema>;

/** The `traps` section as the config loader outputs it (src/config/sections/traps.ts), structurally. */
export interface TrapsSection {
  listen: { host: string; port: number };
  listenAlso: { host: string; port: number }[];
  communities: { name?: string; community: string; allowFrom?: string[] }[];
  users: { user: string; level: TrapUser['level']; authProtocol?: TrapUser['authProtocol']; authKey?: string; privProtocol?: TrapUser['privProtocol']; privKey?: string; engineIds: string[]; allowFrom?: string[] }[];
  allowFrom?: string[];
  engineId?: string;
  learnEngineIds: boolean;
  maxInFlight: number;
  receiveBuffer: number;
  workers?: number;
  rules: TrapsConfig['rules'];
  defaultRules: boolean;
}

/** `host:port`, an IPv6 host in brackets (`[::1]:162`) */
export const hostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** config file section → receiver config (validated again, so a bad value still names itself) */
export function receiverConfigFrom(s: TrapsSection): TrapsConfig {
  return TrapsConfigSchema.parse({
    listen: [s.listen, ...s.listenAlso].map((l) => hostPort(l.host, l.port)),
    communities: s.communities.map((c) => ({ name: c.name, community: c.community, allow: c.allowFrom ?? [] })),
    users: s.users.map((u) => ({
      user: u.user, level: u.level, authProtocol: u.authProtocol, authKey: u.authKey, privProtocol: u.privProtocol, privKey: u.privKey,
      engineIds: u.engineIds, allow: u.allowFrom ?? [],
    })),
    allow: s.allowFrom ?? [],
    engineId: s.engineId,
    learnEngineIds: s.learnEngineIds,
    maxInFlight: s.maxInFlight,
    receiveBuffer: s.receiveBuffer,
    workers: s.workers,
    rules: s.rules,
    defaultRules: s.defaultRules,
  });
}
