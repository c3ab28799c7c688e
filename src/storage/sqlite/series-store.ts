/**
 * The embedded time-series store: the same series as InfluxDB, in one SQLite file
 * (better-sqlite3, WAL) with a retention window pruned periodically.
 *
 * Tables: `series` (one row per measurement + tag set) and `points` (series_id, time,
 * fields as JSON). Integers stay SQLite integers and floats are written with a decimal
 * point so `json_type()` tells them apart, like InfluxDB's i and f. A second write to the
 * same series and timestamp merges its fields, as InfluxDB does. `availability_days` caches
 * availability per device and past day (availability-cache.ts): writes into a past day and
 * pruning keep it right. Pruning goes in batches with the event loop free in between
 * (series-prune.ts). The schema is versioned (series-schema.ts, migrate.ts).
 */
import type Database from 'better-sqlite3';
import type { Sample } from '../../model/index.ts';
import { NetpulseError, errorMessage } from '../../errors/index.ts';
import { toInt64 } from '../line-protocol.ts';
import { queryTags } from '../fields.ts';
import { QUERY_LIMITS, tooManyPoints, tooManySeries } from '../query-limits.ts';
import type {
  AvailabilityWarmRequest, AvailabilityWarmResult, LatestPoint, Series, SeriesQuery, SeriesQueryApi, SeriesValue, SeriesWriter, StorageLogger, StorageMetrics,
} from '../types.ts';
import { SampleQueue } from './sample-queue.ts';
import { PointCollector } from './point-collector.ts';
import { dayOf, type AvailabilityQuery, type DeviceAvailability } from '../availability.ts';
import { sqliteAvailability } from './availability.ts';
import { AvailabilityDayCache } from './availability-cache.ts';
import { warmAvailabilityDays } from './availability-warm.ts';
import { migrate } from './migrate.ts';
import { openSqliteFile } from './open-file.ts';
import { SERIES_MIGRATIONS, adoptUnversionedSeries } from './series-schema.ts';
import { pruneSeries, type SeriesPruneOptions, type SeriesPruneResult } from './series-prune.ts';

export interface SqliteSeriesOptions {
  /** the database file */
  file: string;
  retentionMs: number;
  pruneIntervalMs: number;
  batchSize: number;
  flushIntervalMs: number;
  logger: StorageLogger;
  /** points waiting in memory at most; beyond it write() stores synchronously (back-pressure) */
  maxPendingPoints?: number;
  /** series one query may return at most */
  maxQuerySeries?: number;
  /** points one query may return at most (all series together) */
  maxQueryPoints?: number;
  /** availability reports fold past days from cached per-day summaries (default true); false reads every sample */
  availabilityCache?: boolean;
  /** the clock deciding which days are over and where retention cuts (tests); default Date.now */
  now?: () => number;
}

export const SQLITE_LIMITS = { maxPendingPoints: 100_000, ...QUERY_LIMITS } as const;

interface SeriesRow {
  id: number;
  tags: string;
}

/** points per transaction when writing in the background */
const SLICE = 500;

function numberJson(v: number): string {
  const s = String(v);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

/** Fields as JSON that keeps integer vs float. Null when nothing can be stored. */
export function fieldsJson(fields: Sample['fields'], onWrap: () => void): string | null {
  const parts: string[] = [];
  for (const key in fields) {
    const v = fields[key];
    let json: string;
    if (typeof v === 'bigint') {
      const r = toInt64(v);
      if (r.wrapped) onWrap();
      json = r.value.toString();
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) continue;
      json = numberJson(v);
    } else if (typeof v === 'string' || typeof v === 'boolean') {
      json = JSON.stringify(v);
    } else {
      continue;
    }
    parts.push(`${JSON.stringify(key)}:${json}`);
  }
  return parts.length ? `{${parts.join(',')}}` : null;
}

function tagsKey(tags: Record<string, string>): string {
  const clean: Record<string, string> = {};
  for (const k of Object.keys(tags).sort()) {
    const v = tags[k];
    if (v !== undefined && v !== null && v !== '') clean[k] = String(v);
  }
  return JSON.stringify(clean);
}

function matches(tags: Record<string, string>, filter: Record<string, string>): boolean {
  for (const k in filter) if (tags[k] !== filter[k]) return false;
  return true;
}

export class SqliteSeriesStore implements SeriesWriter, SeriesQueryApi {
  private readonly db: Database.Database;
  private readonly seriesIds = new Map<string, number>();
  private readonly buffer = new SampleQueue();
  private backpressure = false;
  private unreportedDrops = 0;
  private lastDropLog = 0;
  private timer: NodeJS.Timeout | undefined;
  private sliceScheduled = false;
  private readonly pruneTimer: NodeJS.Timeout;
  private closed = false;
  /** the prune run going on */
  private pruning: Promise<SeriesPruneResult> | undefined;
  private lastError: string | undefined;
  private readonly counts = { written: 0, dropped: 0, invalid: 0, wrapped: 0, batchesFailed: 0 };
  private readonly availabilityDays: AvailabilityDayCache;
  private readonly now: () => number;
  private readonly stmts: {
    insertSeries: Database.Statement;
    upsertPoint: Database.Statement;
    seriesOf: Database.Statement;
    seriesOfDevice: Database.Statement;
    pointsAsc: Database.Statement;
    pointsDesc: Database.Statement;
    newest: Database.Statement;
  };

  constructor(private readonly opts: SqliteSeriesOptions) {
    const target = `sqlite ${opts.file}`;
    this.db = openSqliteFile(opts.file, { target });
    let step = 'migrate';
    try {
      migrate(this.db, target, SERIES_MIGRATIONS, { unversioned: adoptUnversionedSeries });
      step = 'preparing the availability day cache';
      this.availabilityDays = new AvailabilityDayCache(this.db);
      step = 'preparing statements';
      this.stmts = this.prepareStatements();
    } catch (err) {
      this.db.close();
      if (err instanceof NetpulseError) throw err;
      throw new NetpulseError({ scope: 'storage', target, action: 'open', reason: `${step}: ${errorMessage(err)}`, cause: err });
    }
    this.now = opts.now ?? Date.now;
    void this.prune();
    // a run still going on (a large first prune) is not queued behind
    this.pruneTimer = setInterval(() => { if (!this.pruning) void this.prune(); }, opts.pruneIntervalMs);
    this.pruneTimer.unref();
  }

  private prepareStatements(): SqliteSeriesStore['stmts'] {
    return {
      insertSeries: this.db.prepare(
        'INSERT INTO series (measurement, device, tags) VALUES (?, ?, ?) ON CONFLICT (measurement, tags) DO UPDATE SET device = excluded.device RETURNING id',
      ),
      upsertPoint: this.db.prepare(
        'INSERT INTO points (series_id, time, fields) VALUES (?, ?, ?) ON CONFLICT (series_id, time) DO UPDATE SET fields = json_patch(points.fields, excluded.fields)',
      ),
      seriesOf: this.db.prepare('SELECT id, tags FROM series WHERE measurement = ?'),
      seriesOfDevice: this.db.prepare('SELECT id, tags FROM series WHERE measurement = ? AND device = ?'),
      pointsAsc: this.db.prepare('SELECT time, fields FROM points WHERE series_id = ? AND time >= ? AND time <= ? ORDER BY time'),
      pointsDesc: this.db.prepare('SELECT time, fields FROM points WHERE series_id = ? AND time >= ? AND time <= ? ORDER BY time DESC'),
      newest: this.db.prepare('SELECT time, fields FROM points WHERE series_id = ? ORDER BY time DESC LIMIT 1'),
    };
  }

  write(samples: Sample[]): void {
    if (this.closed) {
      this.counts.dropped += samples.length;
      return;
    }
    try {
      this.buffer.push(samples);
    } catch (err) {
      this.opts.logger.error(`storage: sqlite ${this.opts.file}: write: ${errorMessage(err)}`);
      return;
    }
    const max = this.opts.maxPendingPoints ?? SQLITE_LIMITS.maxPendingPoints;
    if (this.buffer.length > max) this.applyBackpressure(max);
    else if (this.backpressure && this.buffer.length <= max / 2) {
      this.backpressure = false;
      this.opts.logger.info(`storage: sqlite ${this.opts.file}: write backlog back under ${max / 2} points; writing in the background again`);
    }
    if (this.buffer.length >= this.opts.batchSize) {
      this.scheduleSlice();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.scheduleSlice(), this.opts.flushIntervalMs);
      this.timer.unref();
    }
  }

  /**
   * The backlog is full (SQLite slower than the producers): the producer's write() call stores
   * slices until it is back under the bound. Nothing accepted is dropped; producers on this
   * event loop slow down instead. Logged once per episode.
   */
  private applyBackpressure(max: number): void {
    if (!this.backpressure) {
      this.backpressure = true;
      this.opts.logger.warn(`storage: sqlite ${this.opts.file}: write backlog above ${max} points; storing synchronously in write() (back-pressure) until it drains`);
    }
    while (this.buffer.length > max && !this.closed) this.flushNow(SLICE);
  }

  /**
   * better-sqlite3 is synchronous: write in slices of SLICE points, one transaction each,
   * yielding to the event loop in between so polls and API requests are not held up.
   */
  private scheduleSlice(): void {
    if (this.sliceScheduled) return;
    this.sliceScheduled = true;
    setImmediate(() => {
      this.sliceScheduled = false;
      this.flushNow(SLICE);
      if (this.buffer.length > 0 && !this.closed) this.scheduleSlice();
    });
  }

  private seriesId(s: Sample): number {
    const tk = tagsKey(s.tags);
    const key = s.measurement + '\0' + tk;
    let id = this.seriesIds.get(key);
    if (id === undefined) {
      const row = this.stmts.insertSeries.get(s.measurement, s.tags.device ?? '', tk) as { id: number };
      id = row.id;
      this.seriesIds.set(key, id);
    }
    return id;
  }

  private flushNow(max = Number.POSITIVE_INFINITY): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const batch = this.buffer.take(max);
    const onWrap = (): void => { this.counts.wrapped++; };
    const today = dayOf(this.now());
    try {
      let written = 0;
      this.db.transaction(() => {
        /** device → cached days written to: their cached availability is stale */
        const late = new Map<string, Set<number>>();
        for (const s of batch) {
          // a malformed sample is counted alone; throwing here would drop the whole slice
          const json = s && typeof s.measurement === 'string' && s.measurement && Number.isFinite(s.time)
            && typeof s.tags === 'object' && s.tags !== null
            ? fieldsJson(s.fields ?? {}, onWrap) : null;
          if (json === null) {
            this.counts.invalid++;
            continue;
          }
          const time = Math.round(s.time);
          this.stmts.upsertPoint.run(this.seriesId(s), time, json);
          written++;
          // a day this store cached may lie ahead of today when the clock went back
          if (s.measurement === 'device_status' && (time < today || this.availabilityDays.mayHold(dayOf(time)))) {
            const device = s.tags.device ?? '';
            const days = late.get(device) ?? late.set(device, new Set()).get(device)!;
            days.add(dayOf(time));
          }
        }
        for (const [device, days] of late) for (const day of days) this.availabilityDays.invalidate(device, day);
      })();
      this.counts.written += written;
      this.lastError = undefined;
    } catch (err) {
      this.seriesIds.clear();
      this.counts.batchesFailed++;
      this.counts.dropped += batch.length;
      this.unreportedDrops += batch.length;
      this.lastError = errorMessage(err);
      // once at once, then summed up at most every 10 s: a full disk must not log per slice
      const now = Date.now();
      if (now - this.lastDropLog >= 10_000) {
        this.lastDropLog = now;
        this.opts.logger.error(`storage: sqlite ${this.opts.file}: write: ${this.lastError}: DROPPED ${this.unreportedDrops} points (${this.counts.dropped} dropped in total)`);
        this.unreportedDrops = 0;
      }
    }
  }

  /**
   * Deletes the points (and cached availability days) before now - retentionMs, in batches
   * (series-prune.ts); the first batch runs before this returns unless a run is going on, which
   * this one then follows. Never rejects: a failing batch is logged and ends the run.
   */
  prune(now = this.now(), opts?: SeriesPruneOptions): Promise<SeriesPruneResult> {
    const start = (): Promise<SeriesPruneResult> => pruneSeries(
      { db: this.db, file: this.opts.file, days: this.availabilityDays, isOpen: () => !this.closed, logger: this.opts.logger },
      now - this.opts.retentionMs, opts);
    const run = this.pruning ? this.pruning.then(start) : start();
    this.pruning = run;
    void run.finally(() => { if (this.pruning === run) this.pruning = undefined; });
    return run;
  }

  async flush(): Promise<void> {
    this.flushNow();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flushNow();
    this.closed = true;
    clearInterval(this.pruneTimer);
    this.db.close();
  }

  metrics(): StorageMetrics {
    return {
      backend: 'sqlite',
      healthy: this.lastError === undefined,
      detail: this.lastError,
      pointsWritten: this.counts.written,
      pointsSpooled: 0,
      pointsReplayed: 0,
      pointsDropped: this.counts.dropped,
      pointsQuarantined: 0,
      pointsInvalid: this.counts.invalid,
      batchesFailed: this.counts.batchesFailed,
      integersWrapped: this.counts.wrapped,
      spoolPoints: 0,
      spoolBytes: 0,
      pendingPoints: this.buffer.length,
    };
  }

  /** series of the measurement whose tags match, sorted by tag set; at most maxQuerySeries */
  private matchingSeries(measurement: string, tags: Record<string, string>): { id: number; tags: Record<string, string> }[] {
    const max = this.opts.maxQuerySeries ?? SQLITE_LIMITS.maxQuerySeries;
    const rows = (tags.device !== undefined
      ? this.stmts.seriesOfDevice.iterate(measurement, tags.device)
      : this.stmts.seriesOf.iterate(measurement)) as IterableIterator<SeriesRow>;
    const out: (SeriesRow & { parsed: Record<string, string> })[] = [];
    for (const r of rows) {
      const parsed = JSON.parse(r.tags) as Record<string, string>;
      if (!matches(parsed, tags)) continue;
      if (out.length >= max) {
        throw tooManySeries(`sqlite ${this.opts.file}`, measurement, max);
      }
      out.push({ ...r, parsed });
    }
    // the stored tags are already the canonical key (sorted, JSON)
    return out.sort((a, b) => (a.tags < b.tags ? -1 : a.tags > b.tags ? 1 : 0)).map((r) => ({ id: r.id, tags: r.parsed }));
  }

  /**
   * Streams each series' rows through a cursor: with a limit, newest first and stopping after
   * `limit` points (or buckets), so memory holds the answer, not the time range.
   */
  async querySeries(q: SeriesQuery): Promise<Series[]> {
    this.flushNow();
    const tags = queryTags(q);
    const maxPoints = this.opts.maxQueryPoints ?? SQLITE_LIMITS.maxQueryPoints;
    const limited = q.limit !== undefined;
    const select = limited ? this.stmts.pointsDesc : this.stmts.pointsAsc;
    const out: Series[] = [];
    let total = 0;
    for (const s of this.matchingSeries(q.measurement, tags)) {
      const collector = new PointCollector(q.measurement, q.step && q.step > 0 ? q.step : undefined, limited, q.limit);
      const rows = select.iterate(s.id, q.from, q.to) as IterableIterator<{ time: number; fields: string }>;
      for (const r of rows) {
        if (!collector.add(r.time, pick(JSON.parse(r.fields), q.fields))) {
          break; // for-of closes the cursor
        }
        if (total + collector.points.length > maxPoints) {
          throw tooManyPoints(`sqlite ${this.opts.file}`, q.measurement, maxPoints);
        }
      }
      const points = collector.finish();
      total += points.length;
      if (points.length) out.push({ tags: s.tags, points });
    }
    return out;
  }

  async availability(q: AvailabilityQuery): Promise<DeviceAvailability[]> {
    this.flushNow();
    return sqliteAvailability(this.db, this.opts.file, {
      maxQuerySeries: this.opts.maxQuerySeries ?? SQLITE_LIMITS.maxQuerySeries,
      maxQueryPoints: this.opts.maxQueryPoints ?? SQLITE_LIMITS.maxQueryPoints,
    }, q, () => !this.closed, this.opts.availabilityCache === false ? undefined : {
      days: this.availabilityDays,
      now: this.now(),
      onError: (message) => this.opts.logger.warn(message),
    });
  }

  /**
   * Fills the availability day cache for these devices and days without building a report
   * (availability-warm.ts): days before the retention window are left out (pruning would drop
   * them); with forgetStale first forgets the rows no report reads. Nothing is done when the
   * cache is off. Never throws.
   */
  async warmAvailabilityDays(req: AvailabilityWarmRequest): Promise<AvailabilityWarmResult> {
    const open = !this.closed;
    if (this.opts.availabilityCache === false || !open) {
      return { computed: 0, cached: 0, empty: 0, failed: 0, forgotten: 0, samples: 0, stopped: !open, ms: 0, from: req.from, to: req.from, retentionMs: this.opts.retentionMs };
    }
    return warmAvailabilityDays({
      db: this.db, file: this.opts.file, days: this.availabilityDays, now: this.now(), retentionMs: this.opts.retentionMs,
      isOpen: () => !this.closed, logger: this.opts.logger,
    }, req);
  }

  async latest(measurement: string, device: string, tags: Record<string, string> = {}): Promise<LatestPoint[]> {
    this.flushNow();
    const out: LatestPoint[] = [];
    for (const s of this.matchingSeries(measurement, { ...tags, device })) {
      const row = this.stmts.newest.get(s.id) as { time: number; fields: string } | undefined;
      if (row) out.push({ tags: s.tags, time: row.time, values: JSON.parse(row.fields) });
    }
    return out;
  }
}

function pick(values: Record<string, SeriesValue>, fields: string[] | undefined): Record<string, SeriesValue> {
  if (!fields || fields.length === 0) return values;
  const out: Record<string, SeriesValue> = {};
  for (const f of fields) if (f in values) out[f] = values[f];
  return out;
}
