import { z } from 'zod';
import { time } from './common.ts';

export const AVAILABILITY_SORTS = ['availability', 'snmp-availability', 'outages', 'downtime', 'name'] as const;

const stateName = z.enum(['up', 'snmp-unreachable', 'auth-failed', 'down', 'unknown', 'no-data']);
const ms = z.number().describe('ms');

export const availabilityItem = z.object({
  device: z.string(),
  from: z.number(),
  to: z.number(),
  durations: z.object({
    up: ms, 'snmp-unreachable': ms, 'auth-failed': ms, down: ms, unknown: ms, 'no-data': ms,
  }).describe('ms in each state over from..to; they add up to to - from. no-data: no device_status sample covers that time'),
  coveragePct: z.number().describe('share of the range with a known state (up, snmp-unreachable, auth-failed or down), %'),
  icmpAvailabilityPct: z.number().nullable().describe('(up + snmp-unreachable + auth-failed) / known time, %: the device answered; null without data'),
  snmpAvailabilityPct: z.number().nullable().describe('up / known time, %: SNMP polls succeeded; null without data'),
  outages: z.number().int().describe('runs of down time (no data or unknown ends a run), clipped to the range'),
  longestOutage: z.object({ from: z.number(), to: z.number(), durationMs: z.number() }).nullable(),
  samples: z.number().int().describe('device_status samples read'),
  maxGapMs: z.number().describe('how long one sample counts at most: 2.5 poll intervals (one missed poll is bridged)'),
  timeline: z.array(z.object({ from: z.number(), to: z.number(), state: stateName })).optional(),
  timelineExact: z.boolean().optional().describe('false: more runs than `segments`, shown as equal buckets with their worst state'),
});

export const deviceAvailabilityQuery = z.strictObject({
  from: time.optional().describe('default: to - 24h'),
  to: time.optional().describe('default: now'),
  segments: z.coerce.number().int().min(1).max(2000).default(500).describe('timeline runs at most'),
});

export const availabilityReportQuery = z.strictObject({
  from: time.optional().describe('default: to - 24h'),
  to: time.optional().describe('default: now'),
  tag: z.string().max(300).regex(/^[A-Za-z0-9_.-]{1,64}(:[^,]{0,256})?(,[A-Za-z0-9_.-]{1,64}(:[^,]{0,256})?)*$/, {
    message: 'expected key:value (or key), several joined by commas: site:ams,role:core',
  }).optional().describe('only devices with these tags (all of them)'),
  sort: z.enum(AVAILABILITY_SORTS).default('availability').describe('availability/snmp-availability: lowest first (no data last); outages, downtime: most first'),
  limit: z.coerce.number().int().min(1).max(100_000).optional(),
  includeRemoved: z.enum(['true', 'false']).optional().transform((v) => v === 'true')
    .describe('true: also devices no longer in the inventory that have device_status data in the range (tags {}); reads every device the store holds, '
      + 'at most maxQuerySeries (10,000) of them, else 422. Default false: the current inventory only. No effect with `tag` (removed devices have no tags)'),
});

export const availabilityReport = z.object({
  from: z.number(),
  to: z.number(),
  sort: z.enum(AVAILABILITY_SORTS),
  items: z.array(availabilityItem.extend({ tags: z.record(z.string(), z.string()) })),
});
