import type { SampleSink } from '../model/index.ts';
import type { StateStore } from './state/store.ts';
import type { AvailabilityQuery, DeviceAvailability } from './availability.ts';

export interface StorageLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export const silentLogger: StorageLogger = { info() {}, warn() {}, error() {} };

export type SeriesValue = number | string | boolean | null;

export interface SeriesQuery {
  measurement: string;
  /** shorthand for tags.device */
  device?: string;
  /** exact-match tag filters */
  tags?: Record<string, string>;
  /** fields to return; empty or missing = every field of the measurement */
  fields?: string[];
  /** ms since the epoch, inclusive */
  from: number;
  /** ms since the epoch, inclusive */
  to: number;
  /** bucket width in ms: floats are averaged (mean), everything else keeps the last value */
  step?: number;
  /** at most this many points per series, newest kept */
  limit?: number;
}

export interface SeriesPoint {
  time: number;
  values: Record<string, SeriesValue>;
}

/** One series (one tag set). Integers come back as numbers (exact up to 2^53). */
export interface Series {
  tags: Record<string, string>;
  /** oldest first */
  points: SeriesPoint[];
}

export interface LatestPoint extends SeriesPoint {
  tags: Record<string, string>;
}

export interface SeriesQueryApi {
  querySeries(q: SeriesQuery): Promise<Series[]>;
  /** the newest point of each series of this device (e.g. one row per interface) */
  latest(measurement: string, device: string, tags?: Record<string, string>): Promise<LatestPoint[]>;
  /** time in each device state, availability %, outages (availability.ts); one entry per device, by name */
  availability(q: AvailabilityQuery): Promise<DeviceAvailability[]>;
}

export interface StorageMetrics {
  backend: 'influxdb' | 'sqlite';
  /** false while the time-series store cannot be written to */
  healthy: boolean;
  detail?: string;
  pointsWritten: number;
  pointsSpooled: number;
  pointsReplayed: number;
  pointsDropped: number;
  pointsQuarantined: number;
  pointsInvalid: number;
  batchesFailed: number;
  /** Counter64 values above 2^63-1 stored modulo 2^63 */
  integersWrapped: number;
  /** currently in the spool, waiting for InfluxDB */
  spoolPoints: number;
  spoolBytes: number;
  /** in memory, not yet written or spooled */
  pendingPoints: number;
}

/** A sink that can be flushed and closed (both stores implement it). */
export interface SeriesWriter extends SampleSink {
  /** resolves when everything written so far is stored (or spooled after timeoutMs) */
  flush(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
  metrics(): StorageMetrics;
}

/** Filling the embedded store's availability day cache ahead of reports (sqlite/availability-warm.ts). */
export interface AvailabilityWarmRequest {
  devices: readonly string[];
  /** each device's maxGapMs, exactly as reports pass it (deviceMaxGapMs): cache rows are keyed by it; a device without a finite one is skipped (failed) */
  maxGapByDevice: Readonly<Record<string, number>>;
  /** the whole UTC days of [from, to) that are over (and inside the retention) are warmed, newest first */
  from: number;
  to: number;
  /** after busyMs of work rest restMs (e.g. 50/50: at most half of the event loop); without it only a turn of the loop between device-days */
  pace?: { busyMs: number; restMs: number };
  /** ends the warm-up at the next device-day */
  signal?: AbortSignal;
  /**
   * `devices` are every configured device: first forget the cached rows no report will read, those
   * under another maxGapMs than the device's (its interval changed) and, of devices not among them,
   * those under another maxGapMs than `removedMaxGapMs` (all of them without it); one device per
   * step, paced as the warm-up. A device without a finite maxGapMs keeps its rows.
   */
  forgetStale?: boolean;
  /** the maxGapMs reports use for devices no longer configured (`includeRemoved`): their rows under it are kept */
  removedMaxGapMs?: number;
}

export interface AvailabilityWarmResult {
  /** device-days computed from their samples and stored */
  computed: number;
  /** device-days found already cached (skipped) */
  cached: number;
  /** device-days without samples (nothing to store, as in reports) */
  empty: number;
  /** device-days that could not be computed or stored, devices whose stale rows could not be forgotten (the first few are logged) */
  failed: number;
  /** cached rows forgotten (forgetStale) */
  forgotten: number;
  /** samples read */
  samples: number;
  /** ended before the last day: the store closed or the signal aborted */
  stopped: boolean;
  /** the whole days warmed, [from, to) as day starts (none when to <= from): `from` the request's first day wholly inside the retention, `to` the end of its last day that is over */
  from: number;
  to: number;
  /** how long the store keeps samples: the days it has not kept whole are not warmed */
  retentionMs: number;
  ms: number;
}

export interface Storage {
  sink: SampleSink;
  query: SeriesQueryApi;
  state: StateStore;
  /** the embedded SQLite store only (undefined on InfluxDB): fills the availability day cache without building a report */
  warmAvailabilityDays?: (req: AvailabilityWarmRequest) => Promise<AvailabilityWarmResult>;
  metrics(): StorageMetrics;
  /** resolves when everything written so far is stored (or, with InfluxDB down, spooled after timeoutMs) */
  flush(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}
