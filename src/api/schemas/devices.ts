import { z } from 'zod';
import { AUTH_PROTOCOLS, PRIV_PROTOCOLS, BUILTIN_PROFILES } from '../../model/index.ts';
import { checkV3 } from '../../config/credentials-schema.ts';
import { address, deviceId, name, tags } from './common.ts';

export const DEVICE_STATES = ['up', 'down', 'snmp-unreachable', 'auth-failed', 'unknown'] as const;
export const SNMP_VERSIONS = ['1', '2c', '3'] as const;
export const SECURITY_LEVELS = ['noAuthNoPriv', 'authNoPriv', 'authPriv'] as const;

const intervalMs = z.number().int().min(1000, { message: 'expected at least 1000 ms' }).max(86_400_000, { message: 'expected at most one day (86400000 ms)' });

const labelPatterns = z.array(z.string().min(1, { error: 'must not be empty' }).max(1024)).max(256);
const interfaceMatch = {
  ifType: z.array(z.union([z.number().int(), z.string().min(1).max(64)], { error: 'expected an IANAifType name like softwareLoopback or a number like 24' })).max(256).optional(),
  ifName: labelPatterns.optional(),
  ifDescr: labelPatterns.optional(),
  ifAlias: labelPatterns.optional(),
};

/** the shape; names, numbers and patterns are checked by the devices port like the config's `interfaces:` */
export const interfaceFilterInput = z.strictObject({
  include: z.strictObject(interfaceMatch).optional(),
  exclude: z.strictObject({ ...interfaceMatch, adminDown: z.boolean().optional() }).optional(),
}).describe('which interfaces the interfaces profile polls (as the config file\'s devices[].interfaces): include lists (if any) and exclude lists of ifType (IANAifType name or number) and ifName/ifDescr/ifAlias patterns (glob with *, or /regex/flags); exclude wins');

export const deviceInput = z.strictObject({
  name: deviceId,
  address,
  port: z.number().int().min(1).max(65535).default(161),
  credentials: name('credential profile name'),
  profiles: z.array(name('poll profile name')).max(32).default([...BUILTIN_PROFILES.slice(0, 2)]),
  intervalMs: intervalMs.default(60_000),
  profileIntervalsMs: z.record(name('poll profile name'), intervalMs).default({}),
  tags: tags.default({}),
  icmp: z.boolean().default(true),
  parents: z.array(deviceId).max(64).optional().describe('devices this one is reached through: its alerts are suppressed while all of them are down; existing devices, no cycles'),
  interfaces: interfaceFilterInput.optional(),
});

/** PUT: the same, the name may be left out (it is the path's) */
export const deviceReplace = deviceInput.extend({ name: deviceId.optional() });

export const credentialSummary = z.object({
  name: z.string(),
  version: z.enum(SNMP_VERSIONS),
  user: z.string().optional(),
  level: z.enum(SECURITY_LEVELS).optional(),
  authProtocol: z.enum(AUTH_PROTOCOLS).optional(),
  privProtocol: z.enum(PRIV_PROTOCOLS).optional(),
  context: z.string().optional(),
});

export const deviceStatus = z.object({
  state: z.enum(DEVICE_STATES),
  since: z.number().optional(),
  lastPollAt: z.number().optional(),
  lastSuccessAt: z.number().optional(),
  lastPollDurationMs: z.number().optional(),
  missedPolls: z.number(),
  pollsDone: z.number().optional(),
  consecutiveFailures: z.number().optional(),
  lastError: z.string().optional(),
  recentErrors: z.array(z.object({ time: z.number(), message: z.string() })).optional(),
  interfacesFiltered: z.number().int().optional().describe('interfaces the interface filter left out at the last poll of the interfaces profile; absent without a filter'),
});

export const deviceView = z.object({
  name: z.string(),
  origin: z.enum(['config', 'api']).describe('where the device is defined: config (the config file: read-only here, PUT and DELETE answer 409) or api'),
  shadows: z.literal('api').optional().describe('set on a config device that hides an API-created device of the same name: that one is neither listed nor polled until the config device is renamed or removed'),
  address: z.string(),
  port: z.number(),
  credentials: z.string(),
  profiles: z.array(z.string()),
  intervalMs: z.number(),
  profileIntervalsMs: z.record(z.string(), z.number()),
  tags: z.record(z.string(), z.string()),
  icmp: z.boolean(),
  parents: z.array(z.string()).optional(),
  interfaces: z.object({
    include: z.object({ ifType: z.array(z.number()), ifName: z.array(z.string()), ifDescr: z.array(z.string()), ifAlias: z.array(z.string()) }),
    exclude: z.object({ ifType: z.array(z.number()), ifName: z.array(z.string()), ifDescr: z.array(z.string()), ifAlias: z.array(z.string()), adminDown: z.boolean() }),
  }).optional(),
  snmp: credentialSummary.optional(),
  status: deviceStatus,
});

const seriesValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);
export const latestRow = z.object({ tags: z.record(z.string(), z.string()), time: z.number(), values: z.record(z.string(), seriesValue) });

export const deviceDetail = z.object({
  device: deviceView,
  interfaces: z.array(latestRow),
  recent: z.object({
    system: latestRow.optional(),
    host: latestRow.optional(),
    icmp: latestRow.optional(),
    status: latestRow.optional(),
  }),
});

export const seriesResponse = z.object({
  device: z.string(),
  measurement: z.string(),
  fields: z.array(z.string()),
  from: z.number(),
  to: z.number(),
  series: z.array(
    z.object({
      tags: z.record(z.string(), z.string()),
      points: z.array(z.object({ time: z.number(), values: z.record(z.string(), seriesValue) })),
    }),
  ),
});

const secret = (what: string) => z.string().min(1, { message: `expected a non-empty ${what}` }).max(256);

export const credentialInput = z.discriminatedUnion('version', [
  z.strictObject({ version: z.enum(['1', '2c']), community: secret('community') }),
  z.strictObject({
    version: z.literal('3'),
    user: z.string().min(1).max(64),
    level: z.enum(SECURITY_LEVELS),
    authProtocol: z.enum(AUTH_PROTOCOLS).optional(),
    authKey: secret('auth key').optional(),
    privProtocol: z.enum(PRIV_PROTOCOLS).optional(),
    privKey: secret('priv key').optional(),
    context: z.string().max(64).optional(),
  // the config loader's own check: keys the level needs (long enough), none it does not use, protocols net-snmp supports
  }).superRefine((c, ctx) => { checkV3(c, ctx); }),
], { error: (iss) => (iss.code === 'invalid_union' ? 'expected version "1", "2c" or "3"' : undefined) });
