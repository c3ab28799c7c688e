/**
 * Warming the SQLite availability day cache without a report (src/storage/sqlite/availability-warm.ts),
 * on seeded random histories in real temporary SQLite files: the rows it stores are exactly the
 * ones a later report reads (proved by deleting the raw samples of those days afterwards), each
 * device under its own maxGap, cached days are skipped, closing the store or aborting ends it
 * cleanly, a failing device is counted and logged, never thrown; with forgetStale the rows no
 * report reads (devices not listed, a device's old maxGap) are forgotten first, device by device.
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteSeriesStore, type SqliteSeriesOptions } from '../../src/storage/sqlite/series-store.ts';
import { decodeSpan, encodeSpan } from '../../src/storage/sqlite/availability-cache.ts';
import { createStorage, deviceMaxGapMs, type AvailabilityQuery } from '../../src/storage/index.ts';
import type { DeviceState, Sample } from '../../src/model/index.ts';
import { seededRandom } from '../seeded-random.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const DAYS = 6;
/** the stores' clock: the data's last day is over */
const NOW = T0 + DAYS * DAY + 3_600_000;
const STATES = ['up', 'snmp-unreachable', 'auth-failed', 'down', 'unknown'] as const satisfies readonly DeviceState[];
/** poll intervals: the devices of one fleet differ */
const INTERVALS = [MIN, 5 * MIN, 30_000];
const DEVICES = Array.from({ length: 9 }, (_, i) => ({ name: `dev-${i}`, intervalMs: INTERVALS[i % INTERVALS.length] }));
const GAPS: Record<string, number> = Object.fromEntries(DEVICES.map((d) => [d.name, deviceMaxGapMs(d.intervalMs)]));
const silent = { info() {}, warn() {}, error() {} };

/** a device's samples at its interval: state runs, missed polls, hours without data, a second series with ties */
function history(r: () => number, device: string, interval: number): Sample[] {
  const out: Sample[] = [];
  let state: DeviceState = 'up';
  for (let t = T0 - DAY + Math.floor(r() * interval); t < T0 + DAYS * DAY; t += interval) {
    if (r() < 0.03) state = r() < 0.5 ? 'down' : STATES[Math.floor(r() * STATES.length)];
    const y = r();
    if (y < 0.03) continue;
    if (y < 0.033) { t += Math.floor(r() * 6) * 3_600_000; continue; }
    const sample = (v: string, s: DeviceState): Sample => ({ measurement: 'device_status', tags: { device, snmp_version: v }, fields: { state: s, state_code: BigInt(STATES.indexOf(s)) }, time: t });
    out.push(sample('2c', state));
    if (r() < 0.02) out.push(sample('3', STATES[Math.floor(r() * STATES.length)]));
  }
  return out;
}

const dirs: string[] = [];
const stores: SqliteSeriesStore[] = [];
const dbs: Database.Database[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) db.close();
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** a fresh file with the seeded fleet: the cached store, a raw one (every sample read) and a second connection */
async function seeded(over: Partial<SqliteSeriesOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'netpulse-availability-warm-'));
  dirs.push(dir);
  const file = join(dir, 'series.db');
  const warnings: string[] = [];
  const opts = (o: Partial<SqliteSeriesOptions>): SqliteSeriesOptions => ({
    file, retentionMs: 3650 * DAY, pruneIntervalMs: 3_600_000, batchSize: 5000, flushIntervalMs: 10,
    logger: { ...silent, warn: (m) => warnings.push(m) }, now: () => NOW, ...o,
  });
  const store = new SqliteSeriesStore(opts(over));
  const raw = new SqliteSeriesStore(opts({ availabilityCache: false }));
  stores.push(store, raw);
  const r = seededRandom(20261205);
  for (const d of DEVICES) store.write(history(r, d.name, d.intervalMs));
  await store.flush();
  const db = new Database(file);
  dbs.push(db);
  const rows = (): number => db.prepare('SELECT count(*) FROM availability_days').pluck().get() as number;
  return { store, raw, db, rows, warnings };
}

/** polls `cond` every millisecond: a step of a paced warm-up (it rests ≥ 5 ms) is seen before the next */
async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

const ALL = { devices: DEVICES.map((d) => d.name), maxGapByDevice: GAPS, from: T0 - 2 * DAY, to: NOW };

describe('warmAvailabilityDays (SQLite)', () => {
  it('stores exactly the rows a later report reads: with those days\' samples deleted the report is unchanged (seeded)', async () => {
    const { store, raw, db, rows } = await seeded();
    const result = await store.warmAvailabilityDays(ALL);
    expect(result).toMatchObject({ failed: 0, cached: 0, stopped: false });
    // days T0 - 2d (no samples) .. T0 + 5d; today (T0 + 6d) is not over
    expect(result.computed + result.empty).toBe(DEVICES.length * (DAYS + 2));
    expect(result.computed).toBeGreaterThan(DEVICES.length * DAYS);
    expect(rows()).toBe(result.computed);
    // each device under its own maxGap, the one the API derives from its interval
    const gaps = db.prepare('SELECT DISTINCT device, max_gap_ms FROM availability_days ORDER BY device').raw(true).all() as [string, number][];
    expect(gaps).toEqual(DEVICES.map((d) => [d.name, deviceMaxGapMs(d.intervalMs)]));
    expect(new Set(gaps.map(([, g]) => g)).size).toBe(INTERVALS.length);

    // a fleet report as the API asks it: ranges with partial days at both ends
    const q: AvailabilityQuery = { from: T0 + DAY / 3, to: T0 + (DAYS - 1) * DAY + DAY / 2, maxGapMs: deviceMaxGapMs(undefined), maxGapByDevice: GAPS };
    const want = await raw.availability(q);
    expect(want.reduce((n, a) => n + a.samples, 0)).toBeGreaterThan(10_000);
    // the whole days inside it lose their samples: only a report that takes them from the cache is unchanged
    const deleted = db.prepare('DELETE FROM points WHERE time >= ? AND time < ?').run(T0 + DAY, T0 + (DAYS - 1) * DAY).changes;
    expect(deleted).toBeGreaterThan(10_000);
    expect(await raw.availability(q)).not.toEqual(want);
    expect(await store.availability(q)).toEqual(want);
    expect(await store.availability({ ...q, device: DEVICES[1].name, maxGapMs: GAPS[DEVICES[1].name] })).toEqual(want.filter((a) => a.device === DEVICES[1].name));
    expect(rows()).toBe(result.computed); // the report computed nothing new
  });

  it('skips days already cached (a row altered behind its back stays as it is)', async () => {
    const { store, db, rows } = await seeded();
    // a report caches some days first
    const device = DEVICES[0].name;
    await store.availability({ from: T0, to: T0 + 3 * DAY, maxGapMs: 150_000, maxGapByDevice: GAPS });
    const before = rows();
    expect(before).toBe(3 * DEVICES.length);
    const row = () => db.prepare('SELECT span FROM availability_days WHERE device = ? AND day = ? AND max_gap_ms = ?').pluck().get(device, T0 + DAY, GAPS[device]) as string;
    const span = decodeSpan(row())!;
    span.durations.up -= 1000;
    span.durations.down += 1000;
    db.prepare('UPDATE availability_days SET span = ? WHERE device = ? AND day = ? AND max_gap_ms = ?').run(encodeSpan(span), device, T0 + DAY, GAPS[device]);
    const altered = row();

    const first = await store.warmAvailabilityDays(ALL);
    expect(first.cached).toBe(before);
    expect(rows()).toBe(before + first.computed);
    expect(row()).toBe(altered);
    const again = await store.warmAvailabilityDays(ALL);
    expect(again).toMatchObject({ computed: 0, samples: 0, cached: rows(), failed: 0 });
    // a row another encoding version wrote is not "cached": it is computed again
    db.prepare('UPDATE availability_days SET span = ? WHERE device = ? AND day = ? AND max_gap_ms = ?').run('[0,"old"]', device, T0 + DAY, GAPS[device]);
    expect(await store.warmAvailabilityDays(ALL)).toMatchObject({ computed: 1, cached: rows() - 1 });
    expect(decodeSpan(row())).not.toBeNull();
    // so is a row without the day's runs (written before they were kept): timeline reports need them
    db.prepare('UPDATE availability_days SET runs = NULL WHERE device = ? AND day = ? AND max_gap_ms = ?').run(device, T0 + 2 * DAY, GAPS[device]);
    expect(await store.warmAvailabilityDays(ALL)).toMatchObject({ computed: 1, cached: rows() - 1 });
    expect(db.prepare('SELECT count(*) FROM availability_days WHERE runs IS NULL').pluck().get()).toBe(0);
  });

  it('warms the newest day first and only whole days that are over and inside the retention', async () => {
    const { store, db } = await seeded({ retentionMs: 3 * DAY });
    const result = await store.warmAvailabilityDays({ ...ALL, from: T0 - 10 * DAY, to: NOW + DAY });
    const days = db.prepare('SELECT DISTINCT day FROM availability_days ORDER BY day').pluck().all() as number[];
    // now - 3 days = T0 + 3d + 1h: the first whole day after it is T0 + 4d; today (T0 + 6d) is not over
    expect(days).toEqual([T0 + 4 * DAY, T0 + 5 * DAY]);
    expect(result.computed).toBe(2 * DEVICES.length);
    // the days it kept to, for the runtime's log line; the 10 days before the retention are not walked
    expect(result).toMatchObject({ from: T0 + 4 * DAY, to: T0 + 6 * DAY, retentionMs: 3 * DAY, empty: 0 });

    // newest first: stopping after a few device-days leaves the newest day, not the oldest
    const { store: s2, db: db2 } = await seeded();
    const ac = new AbortController();
    const running = s2.warmAvailabilityDays({ ...ALL, pace: { busyMs: 0, restMs: 5 }, signal: ac.signal });
    const warmed = db2.prepare('SELECT count(*) FROM availability_days').pluck();
    await until(() => (warmed.get() as number) > 0, 'the first device-day');
    ac.abort();
    const cut = await running;
    expect(cut.stopped).toBe(true);
    expect(cut.computed).toBeGreaterThan(0);
    expect(cut.computed).toBeLessThan(DEVICES.length);
    expect(db2.prepare('SELECT DISTINCT day FROM availability_days').pluck().all()).toEqual([T0 + (DAYS - 1) * DAY]);
  });

  it('ends cleanly when the store closes mid-warm-up (during a rest and between steps)', async () => {
    const { store, rows } = await seeded();
    const running = store.warmAvailabilityDays({ ...ALL, pace: { busyMs: 0, restMs: 10 } });
    await until(() => rows() > 0, 'the first device-day');
    const rowsAtClose = rows();
    await store.close();
    const result = await running;
    // no device-day computed after the close (steps run between pauses, and close() is synchronous up to its await)
    expect(result.computed).toBe(rowsAtClose);
    expect(result).toMatchObject({ stopped: true, failed: 0 });
    expect(result.computed).toBeGreaterThan(0);
    expect(result.computed).toBeLessThan(DEVICES.length * DAYS);
    expect(rows()).toBe(result.computed);
    // unpaced: closed right after the start, before its first step
    const next = await seeded();
    const p = next.store.warmAvailabilityDays(ALL);
    await next.store.close();
    expect(await p).toMatchObject({ stopped: true, computed: 0, failed: 0 });
    // on a closed store: nothing, no throw
    expect(await next.store.warmAvailabilityDays(ALL)).toMatchObject({ stopped: true, computed: 0 });
  });

  it('a failing device is counted and logged (the first few), the others are warmed', async () => {
    const { store, db, warnings } = await seeded();
    db.exec("CREATE TRIGGER refuse BEFORE INSERT ON availability_days WHEN NEW.device = 'dev-4' BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    const result = await store.warmAvailabilityDays({ ...ALL, devices: [...ALL.devices, 'no-gap'] });
    const dev4Days = DAYS + 1; // its days with samples, each failing to store
    expect(result.failed).toBe(1 + dev4Days); // no-gap has no maxGapMs
    expect(result.computed + result.empty + dev4Days).toBe(DEVICES.length * (DAYS + 2));
    expect(db.prepare("SELECT count(*) FROM availability_days WHERE device = 'dev-4'").pluck().get()).toBe(0);
    expect(warnings).toHaveLength(5);
    expect(warnings[0]).toMatch(/^storage: sqlite .*series\.db: availability warm-up: device no-gap: no finite maxGapMs \(undefined\); skipped$/);
    expect(warnings[1]).toMatch(/availability warm-up: device dev-4 day 2026-01-06: disk says no$/);
    expect(warnings[4]).toMatch(/further failures of this warm-up are only counted/);
  });

  describe('forgetStale', () => {
    /** stale rows' content does not matter: they are never read */
    const spanText = '"stale"';
    const put = (db: Database.Database, device: string, day: number, gap: number) =>
      db.prepare('INSERT INTO availability_days (device, day, max_gap_ms, span) VALUES (?, ?, ?, ?)').run(device, day, gap, spanText);
    const snapshot = (db: Database.Database, where = '1') =>
      db.prepare(`SELECT device, day, max_gap_ms, span FROM availability_days WHERE ${where} ORDER BY device, day, max_gap_ms`).raw(true).all() as [string, number, number, string][];

    it('keeps a removed device\'s rows under removedMaxGapMs (what reports with includeRemoved read), forgets its others', async () => {
      const { store, db } = await seeded();
      put(db, 'gone-1', T0, 150_000);
      put(db, 'gone-1', T0 + DAY, 150_000);
      put(db, 'gone-1', T0, 999_000);
      const result = await store.warmAvailabilityDays({ ...ALL, forgetStale: true, removedMaxGapMs: 150_000 });
      expect(result.forgotten).toBe(1);
      expect(snapshot(db, "device = 'gone-1'").map(([, day, gap]) => [day, gap])).toEqual([[T0, 150_000], [T0 + DAY, 150_000]]);
    });

    it('forgets the rows of devices not listed and a device\'s rows under another maxGap; the others stay, the report reads the new gap', async () => {
      const { store, raw, db, rows, warnings } = await seeded();
      await store.warmAvailabilityDays(ALL);
      const warmed = rows();
      // a removed device's rows, a report's rows under another maxGap, a device without a gap this time
      for (let d = 0; d < 3; d++) put(db, 'gone-1', T0 + d * DAY, 150_000);
      put(db, 'dev-0', T0, 999_000);
      put(db, 'dev-0', T0 + DAY, 999_000);
      const [keep, moved, unknown] = ['dev-3', 'dev-1', 'dev-2'];
      put(db, unknown, T0, 1234);
      const kept = snapshot(db, `device = '${keep}'`);
      const unknownRows = snapshot(db, `device = '${unknown}'`);
      const movedBefore = snapshot(db, `device = '${moved}'`).length;
      expect(movedBefore).toBeGreaterThan(0);

      // dev-8 removed, dev-1's interval changed (new maxGap), dev-2 listed without a finite maxGap
      const newGap = GAPS[moved] * 2;
      const devices = ALL.devices.filter((d) => d !== 'dev-8');
      const maxGapByDevice = { ...GAPS, [moved]: newGap, [unknown]: Number.NaN };
      const dev8 = snapshot(db, "device = 'dev-8'").length;
      const result = await store.warmAvailabilityDays({ ...ALL, devices, maxGapByDevice, forgetStale: true });
      expect(result.forgotten).toBe(3 + 2 + dev8 + movedBefore);
      expect(result.failed).toBe(1); // dev-2 has no finite maxGap: not warmed, its rows kept
      expect(warnings).toEqual([expect.stringMatching(/device dev-2: no finite maxGapMs \(NaN\); skipped$/)]);
      expect(db.prepare("SELECT count(*) FROM availability_days WHERE device IN ('gone-1', 'dev-8')").pluck().get()).toBe(0);
      expect(db.prepare('SELECT DISTINCT max_gap_ms FROM availability_days WHERE device = ?').pluck().all('dev-0')).toEqual([GAPS['dev-0']]);
      expect(db.prepare('SELECT DISTINCT max_gap_ms FROM availability_days WHERE device = ?').pluck().all(moved)).toEqual([newGap]);
      expect(snapshot(db, `device = '${moved}'`)).toHaveLength(movedBefore); // warmed again under the new gap
      expect(result.computed).toBe(movedBefore);
      expect(snapshot(db, `device = '${keep}'`)).toEqual(kept);
      expect(snapshot(db, `device = '${unknown}'`)).toEqual(unknownRows);
      expect(rows()).toBe(warmed - dev8 + 1);

      // the report under the new gap reads the rows the warm-up stored: unchanged with the days' samples gone
      const q: AvailabilityQuery = { from: T0, to: T0 + DAYS * DAY, maxGapMs: newGap, device: moved };
      const want = await raw.availability(q);
      db.prepare('DELETE FROM points WHERE time >= ? AND time < ?').run(T0, T0 + DAYS * DAY);
      expect(await store.availability(q)).toEqual(want);
      expect(want[0].samples).toBeGreaterThan(1000);

      // nothing stale left: a second run forgets nothing; without forgetStale nothing is forgotten
      expect(await store.warmAvailabilityDays({ ...ALL, devices, maxGapByDevice, forgetStale: true })).toMatchObject({ forgotten: 0, computed: 0 });
      put(db, 'gone-2', T0, 150_000);
      expect(await store.warmAvailabilityDays({ ...ALL, devices, maxGapByDevice })).toMatchObject({ forgotten: 0 });
      expect(snapshot(db, "device = 'gone-2'")).toHaveLength(1);
      // an empty inventory: every row is stale
      const all = rows();
      expect(await store.warmAvailabilityDays({ ...ALL, devices: [], forgetStale: true })).toMatchObject({ forgotten: all, computed: 0, failed: 0 });
      expect(rows()).toBe(0);
    });

    it('forgets one device per step, paced as the warm-up: aborted mid-way it stops before warming; a failing device is counted and logged', async () => {
      const { store, db, rows, warnings } = await seeded();
      for (let i = 0; i < 40; i++) put(db, `gone-${String(i).padStart(2, '0')}`, T0, 150_000);
      const ac = new AbortController();
      const running = store.warmAvailabilityDays({ ...ALL, forgetStale: true, pace: { busyMs: 0, restMs: 10 }, signal: ac.signal });
      await until(() => rows() < 40, 'the first device forgotten');
      ac.abort();
      const cut = await running;
      expect(cut.stopped).toBe(true);
      expect(cut.forgotten).toBeGreaterThan(0);
      expect(cut.forgotten).toBeLessThan(40);
      expect(cut.computed).toBe(0);
      expect(rows()).toBe(40 - cut.forgotten);

      db.exec("CREATE TRIGGER keep_gone BEFORE DELETE ON availability_days WHEN OLD.device = 'gone-39' BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
      const result = await store.warmAvailabilityDays({ ...ALL, forgetStale: true });
      expect(result).toMatchObject({ forgotten: 39 - cut.forgotten, failed: 1, stopped: false });
      expect(result.computed).toBeGreaterThan(DEVICES.length * DAYS);
      expect(snapshot(db, "device LIKE 'gone-%'").map(([d]) => d)).toEqual(['gone-39']);
      expect(warnings).toEqual([expect.stringMatching(/^storage: sqlite .*series\.db: availability warm-up: forgetting stale rows of device gone-39: disk says no$/)]);
    });
  });

  it('is on the storage facade for the embedded store only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpulse-availability-warm-facade-'));
    dirs.push(dir);
    const sqlite = createStorage({ dataDir: join(dir, 'a') });
    const influx = createStorage({ dataDir: join(dir, 'b'), storage: { influx: { url: 'http://127.0.0.1:9', database: 'x' } } });
    try {
      expect(sqlite.warmAvailabilityDays).toBeTypeOf('function');
      expect(influx.warmAvailabilityDays).toBeUndefined();
      expect(await sqlite.warmAvailabilityDays!({ devices: ['a'], maxGapByDevice: { a: 150_000 }, from: Date.now() - 3 * DAY, to: Date.now() }))
        .toMatchObject({ computed: 0, cached: 0, failed: 0, stopped: false });
    } finally {
      await sqlite.close();
      await influx.close();
    }
  });
});
