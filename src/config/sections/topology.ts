/** `topology`: scheduled discovery, crawl and subnet sweeps (src/topology/README.md). */
import cron from 'node-cron';
import { z } from 'zod';
import { shapeOf } from '../issues.ts';
import { cidr, duration, nonEmpty, port } from '../primitives.ts';

const ipv4Block = () =>
  cidr().refine((v) => /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(v), { error: (iss) => `expected an IPv4 CIDR block like 127.0.0.0/24 (crawls and sweeps are IPv4), got ${shapeOf(iss.input)}` });

export const topologySchema = z.strictObject({
  /** absent: discovery only on demand */
  schedule: z.string().refine((v) => cron.validate(v), { error: (iss) => `expected a cron expression like "0 3 * * *", got ${shapeOf(iss.input)}` }).optional(),
  /** follow neighbours' management addresses (LLDP man-addr, CDP address) inside these subnets */
  crawl: z.strictObject({
    enabled: z.boolean().default(true),
    subnets: z.array(ipv4Block()).min(1, { error: 'list at least one subnet the crawl may enter' }),
    maxDevices: z.number().int().min(1).max(100_000).default(256),
  }).optional(),
  /** subnets swept (ICMP, then an SNMP probe of each address that answers) */
  subnets: z.array(ipv4Block()).optional(),
  sweep: z.strictObject({
    /** blocks larger than a /16 are refused without it */
    allowLarge: z.boolean().default(false),
    /** ping first (fping); off: probe every address over SNMP */
    icmp: z.boolean().default(true),
  }).prefault({}),
  /** how crawls and sweeps ask new addresses for sysObjectID/sysName */
  probe: z.strictObject({
    port: port().default(161),
    timeout: duration().default(1000),
    retries: z.number().int().min(0).max(5).default(0),
    /** credential profiles tried (v3 first, then v2c, then v1); default all */
    credentials: z.array(nonEmpty()).optional(),
  }).prefault({}),
});

export type TopologyConfig = z.output<typeof topologySchema>;
