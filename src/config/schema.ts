/** The config file's structure (zod 4). Cross-references (credentials, profiles, names) are checked in resolve.ts. */
import { z } from 'zod';
import { DEVICE_NAME_RE, DEVICE_NAME_RULE } from '../model/device-name.ts';
import { credentialSchema } from './credentials-schema.ts';
import { address, duration, identifier, nonEmpty, oid, onOff, port } from './primitives.ts';
import { alertsSchema } from './sections/alerts.ts';
import { apiSchema } from './sections/api.ts';
import { defaultInterfaceFilterSchema, interfaceFilterSchema } from './sections/interfaces.ts';
import { maintenanceSchema } from './sections/maintenance.ts';
import { mibUploadSchema } from './sections/mib-upload.ts';
import { notificationsSchema } from './sections/notifications.ts';
import { storageSchema } from './sections/storage.ts';
import { topologySchema } from './sections/topology.ts';
import { trapsSchema } from './sections/traps.ts';

const profileRef = z.union([nonEmpty(), z.strictObject({ name: nonEmpty(), interval: duration() })], {
  error: 'expected a profile name or { name, interval }',
});

export const deviceSchema = z.strictObject({
  /** the API's rule too (src/model/device-name.ts): a name the API cannot address would be listed but unreachable */
  name: nonEmpty().regex(DEVICE_NAME_RE, { error: `expected a device name: ${DEVICE_NAME_RULE}` }),
  address: address(),
  port: port(161),
  credentials: nonEmpty(),
  profiles: z.array(profileRef).optional(),
  interval: duration().optional(),
  tags: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string' }).transform(String)).default({}),
  icmp: onOff().optional(),
  /** which interfaces the interfaces profile polls; replaces defaults.interfaces */
  interfaces: interfaceFilterSchema.optional(),
  /** devices this one is reached through: its alerts are suppressed while it and all of them are down */
  parents: z.array(nonEmpty()).optional(),
});

const columnSchema = z.strictObject({ name: identifier(), oid: oid(), as: z.enum(['tag', 'field']) });

export const userProfileSchema = z.strictObject({
  measurement: identifier(),
  scalars: z.array(z.strictObject({ name: identifier(), oid: oid() })).default([]),
  tables: z
    .array(
      z.strictObject({
        name: identifier(),
        measurement: identifier().optional(),
        columns: z.array(columnSchema).min(1, { error: 'a table needs at least one column' }),
        indexTag: identifier().optional(),
      }),
    )
    .default([]),
  interval: duration().optional(),
});

export const icmpDefaultsSchema = z
  .strictObject({
    enabled: onOff().default(true),
    count: z.number().int().min(1).max(100).default(3),
    /** between two probes to one host (fping -p) */
    interval: duration().default(20),
    timeout: duration().default(500),
    /** between any two probes sent (fping -i): paces a whole batch */
    sendInterval: duration({ min: 0 }).default(1),
  })
  .prefault({});

export const defaultsSchema = z
  .strictObject({
    interval: duration().default(60_000),
    timeout: duration().default(2000),
    retries: z.number().int().min(0).max(10).default(1),
    maxRepetitions: z.number().int().min(1).max(1000).default(25),
    /** polls in flight across all devices */
    concurrency: z.number().int().min(1).max(100_000).default(256),
    /** SNMP threads that decode, decrypt and walk (0: all on the main thread; auto: one per core, at most 4) */
    snmpThreads: z
      .union([z.literal('auto'), z.number().int().min(0).max(16)], { error: 'expected auto, or a whole number of threads from 0 to 16 (0: all on the main thread)' })
      .default('auto'),
    profiles: z.array(nonEmpty()).default(['system', 'interfaces']),
    icmp: icmpDefaultsSchema,
    interfaces: defaultInterfaceFilterSchema,
  })
  .prefault({});

export const configSchema = z.strictObject({
  credentials: z.record(z.string(), credentialSchema).default({}),
  devices: z.array(deviceSchema).default([]),
  profiles: z.record(z.string(), userProfileSchema).default({}),
  defaults: defaultsSchema,
  dataDir: nonEmpty().default('./data'),
  mibDirs: z.array(nonEmpty()).default(['mibs']),
  /** build the OID browser's and search's indexes in the background at start-up (false: on the first browse or search) */
  mibWarmup: z.boolean().default(true),
  mibUpload: mibUploadSchema,
  storage: storageSchema,
  traps: trapsSchema.optional(),
  alerts: alertsSchema,
  notifications: notificationsSchema,
  api: apiSchema,
  topology: topologySchema.optional(),
  maintenance: maintenanceSchema,
});

export type RawConfig = z.output<typeof configSchema>;
