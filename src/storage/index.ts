/**
 * createStorage: the time-series sink and query path (InfluxDB when `storage.influx` is
 * configured, otherwise the embedded SQLite store) plus the state database.
 */
import { join, resolve } from 'node:path';
import { NetpulseError } from '../errors/index.ts';
import { InfluxHttp } from './influx/http.ts';
import { InfluxQuery } from './influx/query.ts';
import { Quarantine } from './influx/quarantine.ts';
import { Spool } from './influx/spool.ts';
import { InfluxWriter } from './influx/writer.ts';
import type { QueryLimits } from './query-limits.ts';
import { SqliteSeriesStore } from './sqlite/series-store.ts';
import { StateStore } from './state/store.ts';
import { silentLogger, type SeriesQueryApi, type SeriesWriter, type Storage, type StorageLogger } from './types.ts';

export * from './types.ts';
export * from './availability.ts';
export { StateStore } from './state/store.ts';
export type { StoredAlert, StoredAlertQuery, StoredAlertState } from './state/alerts.ts';
export type { StoredTrap, StoredTrapFilter, StoredVarbind } from './state/traps.ts';
export type { StoredRule } from './state/rules.ts';
export type { StoredTopologyNode, StoredTopologyLink, TopologyNodeInput, TopologyLinkInput } from './state/topology.ts';
export type { StoredEngineId } from './state/engine-ids.ts';
export { pruneState, vacuumState, StateRetention, STATE_RETENTION_JOB, type StateRetentionPolicy, type StateRetentionTotals } from './state/retention.ts';
export { QUERY_LIMITS, type QueryLimits } from './query-limits.ts';
export { storageMetricFamilies, type StorageMetricFamily } from './metrics.ts';
export { toLine, escapeKey, escapeMeasurement, escapeStringField, toInt64 } from './line-protocol.ts';

export interface InfluxSettings {
  url: string;
  database: string;
  username?: string;
  password?: string;
  retentionPolicy?: string;
  /** ms; with retentionPolicy, creates it with this duration when missing */
  retention?: number;
  batchSize?: number;
  /** write requests in flight at once (default 2) */
  concurrency?: number;
  /** ms */
  flushInterval?: number;
  /** ms per HTTP request */
  timeout?: number;
  /** enabled: false turns the spool off (points are dropped, counted, while InfluxDB is down); maxBytes must be > 0 */
  spool?: { enabled?: boolean; dir?: string; maxBytes?: number };
  /** retry backoff (ms): base doubles per attempt up to max, half of it jittered */
  retry?: { baseMs?: number; maxMs?: number };
}

/** The parts of the netpulse config storage reads (the whole config fits). */
export interface StorageSettings {
  dataDir?: string;
  storage?: {
    influx?: InfluxSettings;
    sqlite?: { retention?: number; pruneInterval?: number };
  };
}

export const DEFAULTS = {
  dataDir: './data',
  batchSize: 5000,
  flushIntervalMs: 1000,
  timeoutMs: 10_000,
  spoolMaxBytes: 100 * 1024 * 1024,
  quarantineMaxBytes: 64 * 1024 * 1024,
  sqliteRetentionMs: 7 * 86_400_000,
  sqlitePruneIntervalMs: 3_600_000,
} as const;

/** 0 = disabled, only through `enabled: false`: a 0 from a typo must not silently turn it off */
function spoolMaxBytes(spool: InfluxSettings['spool'], logger: StorageLogger): number {
  if (spool?.enabled === false) {
    logger.warn('storage: influxdb: spool disabled (storage.influx.spool.enabled: false): while InfluxDB is down or slow, points are DROPPED (counted in pointsDropped)');
    return 0;
  }
  const max = spool?.maxBytes ?? DEFAULTS.spoolMaxBytes;
  if (!(Number.isInteger(max) && max > 0)) {
    throw new NetpulseError({
      scope: 'storage', target: 'storage.influx.spool.maxBytes', kind: 'config',
      reason: `${max}: must be > 0; to disable the spool set spool.enabled: false`,
    });
  }
  return max;
}

/** `queryLimits`: caps on one query's answer, both stores (default QUERY_LIMITS: 10,000 series, 1,000,000 points) */
export function createStorage(config: StorageSettings, opts: { logger?: StorageLogger; queryLimits?: Partial<QueryLimits> } = {}): Storage {
  const logger = opts.logger ?? silentLogger;
  const dataDir = resolve(config.dataDir ?? DEFAULTS.dataDir);
  const state = new StateStore(join(dataDir, 'state.db'), { log: logger });
  let writer: SeriesWriter;
  let query: SeriesQueryApi;
  let warmAvailabilityDays: Storage['warmAvailabilityDays'];
  try {
    const influx = config.storage?.influx;
    if (influx) {
      const http = new InfluxHttp({
        url: influx.url, database: influx.database, username: influx.username, password: influx.password,
        retentionPolicy: influx.retentionPolicy, timeoutMs: influx.timeout ?? DEFAULTS.timeoutMs,
      });
      const spoolDir = resolve(dataDir, influx.spool?.dir ?? 'spool');
      const spoolBytes = spoolMaxBytes(influx.spool, logger);
      writer = new InfluxWriter({
        http,
        spool: new Spool(join(spoolDir, 'influx-spool.db'), spoolBytes),
        quarantine: new Quarantine(join(dataDir, 'influx-quarantine.jsonl'), DEFAULTS.quarantineMaxBytes),
        logger,
        batchSize: influx.batchSize ?? DEFAULTS.batchSize,
        concurrency: influx.concurrency,
        flushIntervalMs: influx.flushInterval ?? DEFAULTS.flushIntervalMs,
        backoffBaseMs: influx.retry?.baseMs,
        backoffMaxMs: influx.retry?.maxMs,
        retentionDuration: influx.retention ? `${Math.max(1, Math.round(influx.retention / 3_600_000))}h` : undefined,
      });
      query = new InfluxQuery(http, opts.queryLimits);
    } else {
      const store = new SqliteSeriesStore({
        file: join(dataDir, 'series.db'),
        retentionMs: config.storage?.sqlite?.retention ?? DEFAULTS.sqliteRetentionMs,
        pruneIntervalMs: config.storage?.sqlite?.pruneInterval ?? DEFAULTS.sqlitePruneIntervalMs,
        batchSize: DEFAULTS.batchSize,
        flushIntervalMs: DEFAULTS.flushIntervalMs,
        logger,
        ...opts.queryLimits,
      });
      writer = store;
      query = store;
      warmAvailabilityDays = (req) => store.warmAvailabilityDays(req);
    }
  } catch (err) {
    state.close();
    throw err;
  }
  return {
    sink: writer,
    query,
    state,
    warmAvailabilityDays,
    metrics: () => writer.metrics(),
    flush: (timeoutMs?: number) => writer.flush(timeoutMs),
    async close() {
      await writer.close();
      state.close();
    },
  };
}
