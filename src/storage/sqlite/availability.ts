/**
 * Availability on the embedded store: device by device, the device_status states of all its
 * series (one per SNMP version) in time order (ties: the older series first), folded in JS.
 *
 * SQL maps each sample to its state code (`STATE_SQL`, the same rule as `sampleState`: a
 * prefix test on the store's own JSON for the common case, json_extract otherwise), and rows
 * are read a day at a time with `all()` as plain arrays: per-row cursor steps (`iterate`)
 * and row objects were most of the old cost. Folding in SQL with window functions (LEAD/LAG,
 * gaps-and-islands) was measured slower on SQLite 3.53: each window function costs about as
 * much per row as handing the row to JS (see bench/availability.ts, src/storage/README.md).
 * better-sqlite3 is synchronous: the event loop gets a turn between devices.
 *
 * With the day cache (availability-cache.ts), whole past days inside the range are folded from
 * their cached spans (missing ones are computed from the day's samples and stored); only the
 * partial days at the range's edges (and the sample before `from`) are read raw. A report with
 * a timeline does the same with the days' state runs, which the cache keeps beside each span; a
 * cached day without them (written before they were kept) is computed again and replaced, one
 * over MAX_CACHED_RUNS is folded from its samples and left as it is.
 */
import type Database from 'better-sqlite3';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DAY_MS, STATE_BY_CODE, dayOf, maxGapOf, newFold, readFrom, type AvailabilityFold, type AvailabilityQuery, type DeviceAvailability } from '../availability.ts';
import { SpanBuilder, type AvailabilitySpan } from '../availability-span.ts';
import { cacheableDays, type AvailabilityDayCache } from './availability-cache.ts';
import { NetpulseError, errorMessage } from '../../errors/index.ts';
import { tooManyPoints, tooManySeries, type QueryLimits } from '../query-limits.ts';

const MEASUREMENT = 'device_status';
/** samples are read in time slices this long, so memory holds one slice of one device */
const SLICE_MS = DAY_MS;

/**
 * The sample's state code (index into STATE_BY_CODE), as sampleState() decides it: a valid
 * `state` string, else an integral `state_code` 0..4, else unknown (4). The store writes its
 * JSON without spaces and without duplicate keys, so a text starting `{"state":"up",` has
 * exactly state "up"; anything else goes through json_extract.
 */
const STATE_SQL = `CASE substr(p.fields, 1, instr(p.fields, ','))
  ${STATE_BY_CODE.map((s, i) => `WHEN '{"state":"${s}",' THEN ${i}`).join(' ')}
  ELSE CASE json_extract(p.fields, '$.state')
    ${STATE_BY_CODE.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')}
    ELSE (SELECT CASE WHEN typeof(c) IN ('integer', 'real') AND c IN (0, 1, 2, 3, 4) THEN CAST(c AS INTEGER) ELSE 4 END
          FROM (SELECT json_extract(p.fields, '$.state_code') AS c))
  END
END`;

/** [time, state code] of a device's device_status samples in [from, to), time order (ties: the older series first) */
export function stateRows(db: Database.Database): (device: string, from: number, to: number) => [number, number][] {
  const states = db.prepare(
    `SELECT p.time, ${STATE_SQL} FROM series s JOIN points p ON p.series_id = s.id
     WHERE s.measurement = ? AND s.device = ? AND p.time >= ? AND p.time < ? ORDER BY p.time, s.id`,
  ).raw(true);
  return (device, from, to) => states.all(MEASUREMENT, device, from, to) as [number, number][];
}

/** the span of a day's rows from stateRows() (the day cache's unit, for reports and the warm-up alike) */
export function spanOfRows(rows: readonly (readonly [number, number])[], maxGapMs: number): AvailabilitySpan {
  const b = new SpanBuilder(maxGapMs);
  for (const [time, code] of rows) b.add(time, STATE_BY_CODE[code]);
  return b.result();
}

/** the day cache and the clock deciding which days are over; without it every sample is read */
export interface AvailabilityCaching {
  days: AvailabilityDayCache;
  now: number;
  /** a cache write failed (the report is still right, only not cached) */
  onError(message: string): void;
}

/** Caps (query-limits.ts): at most maxQuerySeries devices, at most maxQueryPoints samples per device. */
export async function sqliteAvailability(db: Database.Database, file: string, limits: QueryLimits, q: AvailabilityQuery, isOpen: () => boolean, caching?: AvailabilityCaching): Promise<DeviceAvailability[]> {
  const target = `sqlite ${file}`;
  const devices = devicesOf(db, target, limits, q);
  const readStates = stateRows(db);
  const next = db.prepare(
    `SELECT min(p.time) FROM series s JOIN points p ON p.series_id = s.id
     WHERE s.measurement = ? AND s.device = ? AND p.time >= ? AND p.time < ?`,
  ).pluck();
  const days = caching ? cacheableDays(q.from, q.to, caching.now) : undefined;
  let cacheFailed = false;
  const out: DeviceAvailability[] = [];
  for (const [i, device] of devices.entries()) {
    if (i > 0) {
      await yieldToEventLoop();
      if (!isOpen()) throw new NetpulseError({ scope: 'storage', target, action: 'query', reason: `${MEASUREMENT}: the store was closed during the availability query` });
    }
    const fold = newFold(q, device);
    let points = 0;
    const count = (n: number): void => {
      points += n;
      if (points > limits.maxQueryPoints) throw tooManyPoints(target, `${MEASUREMENT} of ${device}`, limits.maxQueryPoints);
    };
    const rowsOf = (a: number, b: number) => readStates(device, a, b);
    const nextSample = (a: number, b: number) => (next.get(MEASUREMENT, device, a, b) as number | null) ?? undefined;
    const foldRaw = (from: number, to: number): void => {
      for (let a = from; a < to;) {
        const b = Math.min(to, a + SLICE_MS);
        const rows = rowsOf(a, b);
        count(rows.length);
        for (const [time, code] of rows) fold.add(time, STATE_BY_CODE[code]);
        // after an empty slice, skip straight to the next sample (a wide range costs no empty slices)
        a = rows.length > 0 ? b : nextSample(b, to) ?? to;
      }
    };
    const gap = maxGapOf(q, device);
    if (q.to <= q.from) {
      // nothing to read
    } else if (!caching || !days || !Number.isFinite(gap) || readFrom(q) > days.from) {
      foldRaw(readFrom(q), q.to);
    } else {
      foldRaw(readFrom(q), days.from);
      const computed = foldDays(caching.days, device, gap, days, q.timeline === true, fold, count, rowsOf, nextSample);
      foldRaw(days.to, q.to);
      try {
        caching.days.put(device, gap, computed);
      } catch (err) {
        if (!cacheFailed) caching.onError(`storage: ${target}: availability day cache: ${errorMessage(err)}; the next report computes the days again`);
        cacheFailed = true;
      }
    }
    const result = fold.finish();
    if (q.device !== undefined || result.samples > 0) out.push(result);
  }
  return out;
}

/**
 * Folds the whole days [days.from, days.to) from their cached spans (`withRuns`: those with their
 * runs), computing the missing ones from their samples; days without samples are skipped with one
 * seek. Returns the days computed.
 */
function foldDays(
  cache: AvailabilityDayCache, device: string, gap: number, days: { from: number; to: number }, withRuns: boolean, fold: AvailabilityFold,
  count: (n: number) => void, rowsOf: (a: number, b: number) => [number, number][], nextSample: (a: number, b: number) => number | undefined,
): [number, AvailabilitySpan][] {
  const stored = cache.read(device, gap, days.from, days.to, withRuns);
  const storedDays = [...stored.keys()];
  const computed: [number, AvailabilitySpan][] = [];
  let s = 0;
  for (let day = days.from; day < days.to;) {
    const cached = stored.get(day);
    if (cached && (!withRuns || cached.runs)) {
      count(cached.samples);
      fold.addSpan(cached);
      day += DAY_MS;
      continue;
    }
    const rows = rowsOf(day, day + DAY_MS);
    if (rows.length === 0) {
      while (s < storedDays.length && storedDays[s] <= day) s++;
      const limit = s < storedDays.length ? storedDays[s] : days.to;
      const t = nextSample(day + DAY_MS, limit);
      day = t === undefined ? limit : dayOf(t);
      continue;
    }
    count(rows.length);
    const span = spanOfRows(rows, gap);
    fold.addSpan(span);
    // a cached day here kept no runs (over MAX_CACHED_RUNS): computing it gave the same row
    if (!cached) computed.push([day, span]);
    day += DAY_MS;
  }
  return computed;
}

/** the devices to read: the one asked for, the list asked for, or every device with device_status series */
function devicesOf(db: Database.Database, target: string, limits: QueryLimits, q: AvailabilityQuery): string[] {
  if (q.device !== undefined) return [q.device];
  if (q.devices !== undefined) {
    const listed = [...new Set(q.devices)].filter((d) => d !== '').sort();
    if (listed.length > limits.maxQuerySeries) throw tooManySeries(target, MEASUREMENT, limits.maxQuerySeries);
    return listed;
  }
  const devices: string[] = [];
  const rows = db.prepare("SELECT DISTINCT device FROM series WHERE measurement = ? AND device <> '' ORDER BY device").pluck().iterate(MEASUREMENT);
  for (const d of rows as IterableIterator<string>) {
    if (devices.length >= limits.maxQuerySeries) throw tooManySeries(target, MEASUREMENT, limits.maxQuerySeries);
    devices.push(d);
  }
  return devices;
}
