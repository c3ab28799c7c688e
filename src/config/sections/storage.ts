/** `storage`: where samples go. First version by the config loader; the storage engineer may extend it. */
import { z } from 'zod';
import { duration, nonEmpty } from '../primitives.ts';

export const influxSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL like http://127.0.0.1:8086' }),
  database: nonEmpty(),
  username: z.string().optional(),
  /** secret */
  password: z.string().optional(),
  retentionPolicy: z.string().optional(),
  /** with retentionPolicy: create it with this duration (at least 1h) when missing */
  retention: duration({ min: 3_600_000 }).optional(),
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

export const sqliteSchema = z.strictObject({
  retention: duration().default(7 * 86_400_000),
  pruneInterval: duration().default(3_600_000),
});

export const storageSchema = z
  .strictObject({
    influx: influxSchema.optional(),
    sqlite: sqliteSchema.optional(),
  })
  .prefault({ sqlite: {} });

export type StorageConfig = z.output<typeof storageSchema>;
