/** `storage`: where samples go. First version by the config loader; the storage engineer may extend it. */
import { z } from 'zod';
import { duration, MAX_SPAN_MS, nonEmpty } from '../primitives.ts';

export const influxSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL like http://127.0.0.1:8086' }),
  database: nonEmpty(),
  username: z.string().optional(),
  /** secret */
  password: z.string().optional(),
  retentionPolicy: z.string().optional(),
  /** with retentionPolicy: create it with this duration (at least 1h) when missing */
  retention: duration({ min: 3_600_000, max: MAX_SPAN_MS }).optional(),
  /** per HTTP request */
  timeout: duration().default(10_000),
  batchSize: z.number().int().min(1).max(1_000_000).default(5000),
  /** write requests in flight at once */
  concurrency: z.number().int().min(1).max(16).default(2),
  flushInterval: duration().default(1000),
  spool: z
    .strictObject({
      /** false: no spool; while InfluxDB is down or slow, points are dropped (counted, logged) */
      enabled: z.boolean().default(true),
      dir: z.string().optional(),
      /** compressed bytes; 0 is refused rather than read as "off" (that is `enabled: false`) */
      maxBytes: z
        .number()
        .int()
        .min(1, { error: 'must be > 0; to disable the spool set spool.enabled: false' })
        .default(100 * 1024 * 1024),
    })
    .prefault({}),
});

/** one message for every wrong `days` (the generic invalid_type text would say "expected an integer, got a number" for 1.5) */
const warmupDays = () =>
  z.any().transform((v, ctx): number => {
    if (Number.isInteger(v) && v >= 0 && v <= 92) return v as number;
    ctx.issues.push({ code: 'custom', input: v, message: 'expected a whole number of days from 0 to 92 (the API\'s longest report range)' });
    return z.NEVER;
  });

/** a wait set in the config, which may be 0 */
const timer = () => duration({ min: 0 });

/** the warm-up's defaults (src/main/availability-warmup.ts takes its WARMUP_* constants from here); ms */
export const AVAILABILITY_WARMUP_DEFAULTS = { days: 31, delay: 30_000, busy: 50, rest: 50, nightly: true } as const;

/** the availability day cache's warm-up (src/main/availability-warmup.ts) */
export const availabilityWarmupSchema = z
  .union(
    [
      z.literal(false),
      z.strictObject({
        /** start-up warms the last `days` whole days; 0: no start-up warm-up */
        days: warmupDays().default(AVAILABILITY_WARMUP_DEFAULTS.days),
        /** start-up's warm-up waits this long after start-up */
        delay: timer().default(AVAILABILITY_WARMUP_DEFAULTS.delay),
        /** pace: work this long, then rest `rest` */
        busy: duration().default(AVAILABILITY_WARMUP_DEFAULTS.busy),
        rest: timer().default(AVAILABILITY_WARMUP_DEFAULTS.rest),
        /** the nightly `availability-days` job (yesterday, 00:20 UTC) */
        nightly: z.boolean().default(AVAILABILITY_WARMUP_DEFAULTS.nightly),
      }),
    ],
    { error: 'expected false (no warm-up) or a mapping like { days: 31, delay: 30s, busy: 50ms, rest: 50ms, nightly: true }' },
  )
  .prefault({});

export const sqliteSchema = z.strictObject({
  retention: duration({ max: MAX_SPAN_MS }).default(7 * 86_400_000),
  pruneInterval: duration().default(3_600_000),
  availabilityWarmup: availabilityWarmupSchema,
});

export const storageSchema = z
  .strictObject({
    influx: influxSchema.optional(),
    sqlite: sqliteSchema.optional(),
  })
  .prefault({ sqlite: {} });

export type StorageConfig = z.output<typeof storageSchema>;
export type AvailabilityWarmupConfig = z.output<typeof availabilityWarmupSchema>;
