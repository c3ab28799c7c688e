/**
 * The SQLite availability day cache (src/storage/sqlite/availability-cache.ts) against the raw
 * fold (the same store with availabilityCache: false reads every sample), on seeded random
 * histories: gaps longer than a day, unknown states, several SNMP-version series per device with
 * ties, samples exactly at midnight, outages crossing midnight, ranges from and to midnight or
 * mid-day, several maxGap values on the same data, late points written into cached days,
 * retention pruning and repeated reports served from the cache; timeline reports (exact and
 * bucketed) from the cached days' runs, rows written before the runs were kept, days of a flapping
 * device whose runs are over the cap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteSeriesStore, type SqliteSeriesOptions } from '../../src/storage/sqlite/series-store.ts';
import { CACHE_MARGIN_MS, MAX_CACHED_RUNS, RUNS_NOT_KEPT, decodeRuns, decodeSpan, encodeRuns, encodeSpan } from '../../src/storage/sqlite/availability-cache.ts';
import { spanOf } from '../../src/storage/availability-span.ts';
import type { AvailabilityQuery, DeviceAvailability } from '../../src/storage/availability.ts';
import type { DeviceState, Sample } from '../../src/model/index.ts';
import { seededRandom } from '../seeded-random.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const DAYS = 6;
/** the cached store's clock: the data's last day is over */
const NOW = T0 + (DAYS + 1) * DAY;
const STATES = ['up', 'snmp-unreachable', 'auth-failed', 'down', 'unknown'] as const satisfies readonly DeviceState[];
const GAPS = [150_000, 2.5 * 5 * MIN, 45 * MIN, 1.5 * DAY];
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function fields(r: () => number, state: DeviceState): Sample['fields'] {
  const code = BigInt(STATES.indexOf(state));
  const x = r();
  if (x < 0.9) return { state, state_code: code, poll_duration_ms: 12.5, missed_polls: 0n, error: '' };
  return x < 0.95 ? { state_code: code } : { error: 'no state' }; // the json_extract path; unknown
}

/** one device's history: runs of states, missed polls, gaps of hours or days, midnight samples, series switches and ties */
function history(r: () => number, device: string): Sample[] {
  const versions = ['1', '2c', '3'].slice(0, 1 + Math.floor(r() * 3));
  const interval = [MIN, 5 * MIN, 7 * MIN, 15 * MIN][Math.floor(r() * 4)];
  const out: Sample[] = [];
  let state: DeviceState = 'up';
  let series = 0;
  for (let t = T0 - Math.floor(r() * 30 * MIN); t < T0 + DAYS * DAY; t += interval + (r() < 0.3 ? Math.floor((r() - 0.5) * 20_000) : 0)) {
    const toMidnight = Math.ceil(t / DAY) * DAY - t;
    if (toMidnight > 0 && toMidnight < 3 * interval && r() < 0.3) {
      t += toMidnight;                                        // exactly at midnight
      if (r() < 0.5) state = 'down';                          // an outage across midnight
    }
    if (r() < 0.04) state = r() < 0.5 ? 'down' : STATES[Math.floor(r() * STATES.length)];
    if (r() < 0.02) series = Math.floor(r() * versions.length);
    const y = r();
    if (y < 0.04) continue;                                   // a missed poll
    if (y < 0.045) { t += Math.floor(r() * 8) * 3_600_000; continue; } // hours of nothing
    if (y < 0.0465) { t += DAY + Math.floor(r() * DAY); continue; }    // a day or two of nothing
    const sample = (v: string, s: DeviceState): Sample => ({ measurement: 'device_status', tags: { device, snmp_version: v }, fields: fields(r, s), time: t });
    out.push(sample(versions[series], state));
    if (versions.length > 1 && r() < 0.03) out.push(sample(versions[(series + 1) % versions.length], STATES[Math.floor(r() * STATES.length)])); // a tie
  }
  return out;
}

let dir: string;
let file: string;
let cached: SqliteSeriesStore;
let raw: SqliteSeriesStore;
let db: Database.Database;
const DEVICES = Array.from({ length: 16 }, (_, i) => `dev-${String(i).padStart(2, '0')}`);
const opts = (over: Partial<SqliteSeriesOptions>): SqliteSeriesOptions =>
  ({ file, retentionMs: 3650 * DAY, pruneIntervalMs: 3_600_000, batchSize: 5000, flushIntervalMs: 10, logger: silent, ...over });
const cachedRows = (device?: string): number =>
  db.prepare(`SELECT count(*) FROM availability_days${device ? ' WHERE device = ?' : ''}`).pluck().get(...(device ? [device] : [])) as number;

/** a random range: its ends at midnight or mid-day, inside or around the data */
function randomRange(r: () => number): { from: number; to: number } {
  const at = (d: number) => T0 + d * DAY + (r() < 0.4 ? 0 : Math.floor(r() * DAY));
  const a = at(Math.floor(r() * (DAYS + 1)) - 1);
  const b = r() < 0.2 ? a + Math.floor(r() * DAY) : at(Math.floor(r() * (DAYS + 2)) - 1);
  return a <= b ? { from: a, to: b } : { from: b, to: a };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netpulse-availability-cache-'));
  file = join(dir, 'series.db');
  cached = new SqliteSeriesStore(opts({ now: () => NOW }));
  raw = new SqliteSeriesStore(opts({ availabilityCache: false }));
  const r = seededRandom(20261204);
  for (const d of DEVICES) cached.write(history(r, d));
  await cached.flush();
  db = new Database(file, { readonly: true });
});

afterAll(async () => {
  db?.close();
  await cached?.close();
  await raw?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite availability from the day cache equals the raw fold', () => {
  it('holds what the generator means to test: midnight samples, down across midnight, gaps of days, several series', () => {
    const times = db.prepare("SELECT p.time FROM points p JOIN series s ON s.id = p.series_id WHERE s.measurement = 'device_status'").pluck().all() as number[];
    expect(times.filter((t) => t % DAY === 0).length).toBeGreaterThan(20);
    const downAtMidnight = db.prepare(`SELECT count(*) FROM points p JOIN series s ON s.id = p.series_id
      WHERE s.measurement = 'device_status' AND p.time % ${DAY} = 0 AND p.fields LIKE '{"state":"down",%'`).pluck().get() as number;
    expect(downAtMidnight).toBeGreaterThan(5);
    expect(db.prepare("SELECT count(*) FROM series WHERE measurement = 'device_status' AND tags LIKE '%\"3\"%'").pluck().get()).toBeGreaterThan(0);
  });

  it('fleet and single-device reports, random ranges and maxGaps, each twice (seeded)', async () => {
    const r = seededRandom(31);
    for (let i = 0; i < 60; i++) {
      const { from, to } = randomRange(r);
      const maxGapMs = GAPS[Math.floor(r() * GAPS.length)];
      const maxGapByDevice = r() < 0.4 ? Object.fromEntries(DEVICES.filter(() => r() < 0.5).map((d) => [d, GAPS[Math.floor(r() * GAPS.length)]])) : undefined;
      const q: AvailabilityQuery = r() < 0.3
        ? { device: DEVICES[Math.floor(r() * DEVICES.length)], from, to, maxGapMs }
        : { from, to, maxGapMs, maxGapByDevice, devices: r() < 0.3 ? DEVICES.filter(() => r() < 0.5) : undefined };
      const want = await raw.availability(q);
      const first = await cached.availability(q);
      expect(first, `first ${JSON.stringify(q)}`).toEqual(want);
      expect(await cached.availability(q), `second ${JSON.stringify(q)}`).toEqual(want);
    }
    expect(cachedRows()).toBeGreaterThan(100);
    // every maxGap of the same day has its own row
    expect(db.prepare('SELECT count(DISTINCT max_gap_ms) FROM availability_days').pluck().get()).toBe(GAPS.length);
  });

  it('serves the second report from the cache (a row altered behind its back shows)', async () => {
    const q = { device: DEVICES[3], from: T0, to: T0 + 3 * DAY, maxGapMs: 150_000 };
    const [before] = await cached.availability(q);
    const rw = new Database(file);
    try {
      const row = rw.prepare('SELECT span FROM availability_days WHERE device = ? AND day = ? AND max_gap_ms = ?').pluck().get(q.device, T0 + DAY, q.maxGapMs) as string;
      const span = decodeSpan(row)!;
      span.durations.up -= 1000;
      span.durations.down += 1000;
      rw.prepare('UPDATE availability_days SET span = ? WHERE device = ? AND day = ? AND max_gap_ms = ?').run(encodeSpan(span), q.device, T0 + DAY, q.maxGapMs);
      const [after] = await cached.availability(q);
      expect(after.durations.down).toBe(before.durations.down + 1000);
      // a row this version cannot read is computed again (and replaced)
      rw.prepare('UPDATE availability_days SET span = ? WHERE device = ? AND day = ? AND max_gap_ms = ?').run('[0,"old"]', q.device, T0 + DAY, q.maxGapMs);
      expect(await cached.availability(q)).toEqual([before]);
      expect(decodeSpan(rw.prepare('SELECT span FROM availability_days WHERE device = ? AND day = ? AND max_gap_ms = ?').pluck().get(q.device, T0 + DAY, q.maxGapMs) as string)).not.toBeNull();
      // so is a span that does not lie in its day (a report never fails on a bad row)
      span.first!.time -= DAY;
      rw.prepare('UPDATE availability_days SET span = ? WHERE device = ? AND day = ? AND max_gap_ms = ?').run(encodeSpan(span), q.device, T0 + DAY, q.maxGapMs);
      expect(await cached.availability(q)).toEqual([before]);
    } finally {
      rw.close();
    }
  });

  it('a late point into a cached day drops the day from the cache and shows in the next report (seeded)', async () => {
    const r = seededRandom(5);
    for (let i = 0; i < 12; i++) {
      const device = DEVICES[Math.floor(r() * DEVICES.length)];
      const q = { from: T0 - DAY / 2, to: T0 + DAYS * DAY, maxGapMs: GAPS[i % GAPS.length] };
      await cached.availability(q);
      const day = T0 + Math.floor(r() * DAYS) * DAY;
      expect(cachedRows(device), device).toBeGreaterThan(0);
      const time = day + (r() < 0.3 ? 0 : Math.floor(r() * DAY));
      cached.write([{ measurement: 'device_status', tags: { device, snmp_version: r() < 0.5 ? '2c' : '3' }, fields: { state: STATES[Math.floor(r() * STATES.length)], state_code: 0n }, time }]);
      await cached.flush();
      expect(db.prepare('SELECT count(*) FROM availability_days WHERE device = ? AND day = ?').pluck().get(device, day)).toBe(0);
      expect(await cached.availability(q)).toEqual(await raw.availability(q));
      expect(await cached.availability({ ...q, device })).toEqual(await raw.availability({ ...q, device }));
    }
  });

  it('caches only days that are over (by CACHE_MARGIN_MS) and wholly inside the range', async () => {
    const device = DEVICES[0];
    const q = { device, from: T0 + DAY / 2, to: T0 + 4 * DAY + DAY / 2, maxGapMs: 17 * MIN };
    const early = new SqliteSeriesStore(opts({ now: () => T0 + 3 * DAY + CACHE_MARGIN_MS - 1 }));
    try {
      expect(await early.availability(q)).toEqual(await raw.availability(q));
      const days = db.prepare('SELECT day FROM availability_days WHERE device = ? AND max_gap_ms = ? ORDER BY day').pluck().all(device, q.maxGapMs);
      expect(days).toEqual([T0 + DAY]); // day 2 ends at T0 + 3d, less than the margin before now; day 0 and 4 are partial
    } finally {
      await early.close();
    }
  });

  it('timeline reports from the cached days equal the raw fold: random ranges, maxGaps, segment caps, each twice (seeded)', async () => {
    const r = seededRandom(77);
    const seen: DeviceAvailability[] = [];
    for (let i = 0; i < 80; i++) {
      const { from, to } = randomRange(r);
      const maxGapMs = GAPS[Math.floor(r() * GAPS.length)];
      const maxSegments = [1000, 3, 17, 200][Math.floor(r() * 4)];
      const q: AvailabilityQuery = r() < 0.8
        ? { device: DEVICES[Math.floor(r() * DEVICES.length)], from, to, maxGapMs, timeline: true, maxSegments }
        : { from, to, maxGapMs, timeline: true, maxSegments, devices: DEVICES.filter(() => r() < 0.3) };
      const want = await raw.availability(q);
      expect(await cached.availability(q), `first ${JSON.stringify(q)}`).toEqual(want);
      expect(await cached.availability(q), `second ${JSON.stringify(q)}`).toEqual(want);
      seen.push(...want);
    }
    // what the comparison covered: exact and bucketed timelines, down and snmp-unreachable runs across midnight, gaps
    const runs = seen.filter((a) => a.timelineExact).flatMap((a) => a.timeline!);
    const acrossMidnight = (state: string) => runs.filter((s) => s.state === state && Math.floor(s.from / DAY) < Math.floor((s.to - 1) / DAY)).length;
    expect(seen.filter((a) => a.timelineExact === false).length).toBeGreaterThan(5);
    expect(runs.length).toBeGreaterThan(1000);
    expect(acrossMidnight('down')).toBeGreaterThan(3);
    expect(acrossMidnight('no-data')).toBeGreaterThan(3);
    expect(runs.filter((s) => s.state === 'snmp-unreachable').length).toBeGreaterThan(10);
  });

  it('keeps the per-device points cap: the cached days count their samples', async () => {
    const capped = new SqliteSeriesStore(opts({ now: () => NOW, maxQueryPoints: 100 }));
    try {
      const q = { device: DEVICES[1], from: T0, to: T0 + 3 * DAY, maxGapMs: 150_000 };
      await cached.availability(q); // the days are cached
      await expect(capped.availability(q)).rejects.toThrow(/more than 100 points \(maxQueryPoints\)/);
    } finally {
      await capped.close();
    }
  });

  it('retention pruning deletes the cached days it prunes, wholly or in part', async () => {
    await cached.availability({ from: T0, to: T0 + DAYS * DAY, maxGapMs: 150_000 });
    const before = T0 + 2 * DAY + 3_600_000;
    expect(db.prepare('SELECT count(*) FROM availability_days WHERE day < ?').pluck().get(before)).toBeGreaterThan(0);
    await cached.prune(before + 3650 * DAY); // the retention is 3650 days: prunes every point before `before`
    expect(db.prepare('SELECT count(*) FROM availability_days WHERE day < ?').pluck().get(before)).toBe(0);
    expect(cachedRows()).toBeGreaterThan(0);
    const q = { from: T0 - DAY, to: T0 + DAYS * DAY, maxGapMs: 150_000 };
    expect(await cached.availability(q)).toEqual(await raw.availability(q));
  });
});

describe('span encoding', () => {
  it('round-trips and refuses what it did not write', () => {
    const span = spanOf([[0, 'up'], [MIN, 'down'], [2 * MIN, 'up'], [3 * MIN, 'down'], [4 * MIN, 'unknown'], [5 * MIN, 'down'], [6 * MIN, 'auth-failed']], 150_000);
    expect(decodeSpan(encodeSpan(span))).toEqual({ ...span, runs: null }); // the runs are a column of their own
    expect(decodeSpan(encodeSpan(spanOf([], 1)))).toEqual({ ...spanOf([], 1), runs: null });
    for (const bad of ['', 'null', '{}', '[2]', '[1,1,null,null,[0,0,0,0,0,0],0,null,null,null]', '[1,0,[0,9],null,[0,0,0,0,0,0],0,null,null,null]']) expect(decodeSpan(bad), bad).toBeNull();
  });

  it('keeps the runs apart from the span: the span decodes without them, the runs only against their span', () => {
    const span = spanOf([[0, 'up'], [MIN, 'down'], [2 * MIN, 'up'], [3 * MIN, 'down'], [10 * MIN, 'snmp-unreachable'], [11 * MIN, 'auth-failed']], 150_000);
    expect(decodeSpan(encodeSpan(span))).toEqual({ ...span, runs: null });
    expect(encodeRuns(span.runs!)).toBe(`[0,0,${MIN},3,${2 * MIN},0,${3 * MIN},3,${3 * MIN + 150_000},5,${10 * MIN},1,${11 * MIN}]`);
    expect(decodeRuns(encodeRuns(span.runs!), span)).toEqual(span.runs);
    expect(decodeRuns(encodeRuns([]), spanOf([[MIN, 'up']], 1))).toEqual([]);
    expect(decodeRuns(null, span)).toBeNull();
    const bad = [
      '', '{}', '[]',                                                              // not runs, or none for a span with two times
      `[0,0,${11 * MIN}]`,                                                         // do not add up to the durations
      `[0,0,${MIN},0,${11 * MIN}]`,                                                // equal neighbours not merged
      `[${MIN},0,${2 * MIN},3,${11 * MIN}]`,                                       // does not start at the first sample
      `[0,0,${MIN},3,${2 * MIN},0,${3 * MIN},3,${3 * MIN + 150_000},5,${10 * MIN},1,${12 * MIN}]`, // ends after the last
      `[0,0,${MIN},9,${2 * MIN},0,${3 * MIN},3,${3 * MIN + 150_000},5,${10 * MIN},1,${11 * MIN}]`, // a state no version has
    ];
    for (const text of bad) expect(decodeRuns(text, span), text).toBeNull();
  });
});

const statusSample = (device: string, time: number, state: DeviceState): Sample =>
  ({ measurement: 'device_status', tags: { device, snmp_version: '2c' }, fields: { state, state_code: BigInt(STATES.indexOf(state)) }, time });

interface OwnFile {
  /** the cached store, on the test's clock */
  store: SqliteSeriesStore;
  /** a store without the cache, reading every sample */
  plain: SqliteSeriesStore;
  /** a connection of the test's own */
  rw: Database.Database;
}

/** runs `body` on a series.db of its own (made by `old` first, if given), then closes everything and removes the file */
async function onOwnFile(name: string, now: () => number, body: (f: OwnFile) => Promise<void>, old?: (db: Database.Database) => void): Promise<void> {
  const d = mkdtempSync(join(tmpdir(), `netpulse-availability-${name}-`));
  const file = join(d, 'series.db');
  const opened: { close(): unknown }[] = [];
  try {
    if (old) {
      const db = new Database(file);
      old(db);
      db.close();
    }
    const store = new SqliteSeriesStore({ ...opts({ now }), file });
    opened.push(store);
    const plain = new SqliteSeriesStore({ ...opts({ availabilityCache: false }), file });
    opened.push(plain);
    const rw = new Database(file);
    opened.unshift(rw);
    await body({ store, plain, rw });
  } finally {
    for (const o of opened) await o.close();
    rmSync(d, { recursive: true, force: true });
  }
}

describe('timeline reports on a cache written before the runs were kept', () => {
  it('adds the column, serves other reports from the old rows, computes the runs for a timeline, then reads them from the cache', async () => {
    // the tables as the versions before the runs made them
    const old = (db: Database.Database) => db.exec(`CREATE TABLE series (id INTEGER PRIMARY KEY, measurement TEXT NOT NULL, device TEXT NOT NULL, tags TEXT NOT NULL, UNIQUE (measurement, tags));
      CREATE TABLE points (series_id INTEGER NOT NULL, time INTEGER NOT NULL, fields TEXT NOT NULL, PRIMARY KEY (series_id, time)) WITHOUT ROWID;
      CREATE TABLE availability_days (device TEXT NOT NULL, day INTEGER NOT NULL, max_gap_ms REAL NOT NULL, span TEXT NOT NULL,
      PRIMARY KEY (device, day, max_gap_ms)) WITHOUT ROWID`);
    await onOwnFile('runs', () => NOW, async ({ store, plain, rw }) => {
      expect(rw.prepare("SELECT name FROM pragma_table_info('availability_days')").pluck().all()).toContain('runs');
      const r = seededRandom(8);
      const devices = ['a', 'b', 'c'];
      for (const device of devices) store.write(history(r, device));
      await store.flush();
      const q = { from: T0 - DAY / 3, to: T0 + DAYS * DAY, maxGapMs: 150_000 };
      const tq = { ...q, device: 'b', timeline: true, maxSegments: 100_000 };
      await store.availability(q);
      rw.exec('UPDATE availability_days SET runs = NULL'); // rows as an older version left them
      const withoutRuns = () => rw.prepare('SELECT count(*) FROM availability_days WHERE runs IS NULL AND device = ?').pluck().get('b') as number;
      const oldRows = withoutRuns();
      expect(oldRows).toBeGreaterThan(3);
      expect(await store.availability(q)).toEqual(await plain.availability(q));
      expect(withoutRuns()).toBe(oldRows); // the spans served the report: nothing computed again
      const want = await plain.availability(tq);
      expect(want[0].timelineExact).toBe(true);
      expect(await store.availability(tq)).toEqual(want);
      expect(withoutRuns()).toBe(0); // the timeline computed the days again, with their runs
      const bucketed = await plain.availability({ ...tq, maxSegments: 5 });
      expect(bucketed[0].timelineExact).toBe(false);
      // the whole days inside the range lose their samples behind the store's back: only a timeline taken from the cache is unchanged
      expect(rw.prepare('DELETE FROM points WHERE time >= ? AND time < ?').run(T0 + DAY, T0 + (DAYS - 1) * DAY).changes).toBeGreaterThan(1000);
      expect(await plain.availability(tq)).not.toEqual(want);
      expect(await store.availability(tq)).toEqual(want);
      expect(await store.availability({ ...tq, maxSegments: 5 })).toEqual(bucketed);
    }, old);
  });
});

describe('a flapping device: a day over MAX_CACHED_RUNS keeps its span, not its runs', () => {
  it('rows stay bounded, timeline reports stay exact and leave those rows alone', async () => {
    await onOwnFile('flap', () => NOW, async ({ store, plain, rw }) => {
      const samples: Sample[] = [];
      // days 0 and 2 flap every minute (1440 runs), day 1 flaps every hour (24 runs)
      for (let t = T0; t < T0 + 3 * DAY; t += MIN) {
        const hourly = t >= T0 + DAY && t < T0 + 2 * DAY;
        samples.push(statusSample('flap', t, (hourly ? Math.floor(t / 3_600_000) : t / MIN) % 2 === 0 ? 'up' : 'down'));
      }
      store.write(samples);
      await store.flush();
      rw.exec(`CREATE TABLE puts (day INTEGER); CREATE TRIGGER count_puts AFTER INSERT ON availability_days BEGIN INSERT INTO puts VALUES (new.day); END`);
      const q = { device: 'flap', from: T0, to: T0 + 3 * DAY, maxGapMs: 150_000, timeline: true, maxSegments: 100_000 };
      const want = await plain.availability(q);
      expect(want[0].timeline!.length).toBeGreaterThan(2 * 1440);
      expect(await store.availability(q)).toEqual(want);
      const rows = rw.prepare('SELECT day, runs FROM availability_days WHERE device = ? ORDER BY day').raw(true).all('flap') as [number, string][];
      expect(rows.map(([day]) => day)).toEqual([T0, T0 + DAY, T0 + 2 * DAY]);
      expect(rows.map(([, runs]) => runs === RUNS_NOT_KEPT)).toEqual([true, false, true]);
      expect(JSON.parse(rows[1][1])).toHaveLength(2 * 24 + 1);
      for (const [, runs] of rows) expect(runs.length).toBeLessThan(MAX_CACHED_RUNS * 16);
      rw.exec('DELETE FROM puts');
      // again, bucketed, and without a timeline: the same answers, no row written again
      expect(await store.availability(q)).toEqual(want);
      expect(await store.availability({ ...q, maxSegments: 50 })).toEqual(await plain.availability({ ...q, maxSegments: 50 }));
      const { timeline: _t, timelineExact: _e, ...plainWant } = want[0];
      expect(await store.availability({ ...q, timeline: false })).toEqual([plainWant]);
      expect(rw.prepare('SELECT count(*) FROM puts').pluck().get()).toBe(0);
    });
  });
});

describe('the clock going back', () => {
  it('a point written into a day cached while the clock was ahead drops that day from the cache', async () => {
    let now = T0 + 3 * DAY; // ahead: day T0 + DAY is over and gets cached
    await onOwnFile('clock', () => now, async ({ store, plain, rw }) => {
      const day = T0 + DAY;
      const ups: Sample[] = [];
      for (let t = day - 10 * MIN; t < day + DAY + 10 * MIN; t += MIN) ups.push(statusSample('a', t, 'up'));
      store.write(ups);
      await store.flush();
      const q = { from: day, to: day + DAY, maxGapMs: 150_000 };
      const [before] = await store.availability(q);
      expect(rw.prepare('SELECT count(*) FROM availability_days WHERE day = ?').pluck().get(day)).toBe(1);
      now = day + DAY / 2; // the clock goes back into the cached day
      store.write([statusSample('a', day + DAY / 2 + 30_000, 'down')]);
      await store.flush();
      now = T0 + 3 * DAY; // and on past the day again: a report reads the day from the cache
      expect(await store.availability(q)).toEqual(await plain.availability(q));
      expect(await store.availability(q)).not.toEqual([before]);
    });
  });
});
