// Retention of the embedded series store (series.db) in bounded batches: rows per batch, turns of the event loop, stopping on close, the availability day cache.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteSeriesStore, type SqliteSeriesOptions } from '../../src/storage/sqlite/series-store.ts';
import { SERIES_PRUNE_BATCH_ROWS } from '../../src/storage/sqlite/series-prune.ts';
import type { Sample } from '../../src/model/index.ts';

const DAY = 86_400_000;
const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const RETENTION = 3650 * DAY;
const dir = mkdtempSync(join(tmpdir(), 'netpulse-series-prune-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function open(over: Partial<SqliteSeriesOptions> = {}) {
  const errors: string[] = [];
  const logger = { debug() {}, info() {}, warn() {}, error: (l: string) => { errors.push(l); } };
  const file = over.file ?? join(dir, `series${++n}.db`);
  // start-up prune: nothing is older than ten years
  const store = new SqliteSeriesStore({ file, retentionMs: RETENTION, pruneIntervalMs: 3_600_000, batchSize: 5000, flushIntervalMs: 1000, logger, ...over });
  return { store, file, errors };
}

const icmp = (device: string, count: number, time: (i: number) => number): Sample[] =>
  Array.from({ length: count }, (_, i) => ({ measurement: 'icmp', tags: { device }, fields: { rtt_avg_ms: 1.5 }, time: time(i) }));

/** points older than `before`, read through a second connection (what a batch committed) */
function oldPoints(file: string, before: number): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM points WHERE time < ?').pluck().get(before) as number;
  } finally {
    db.close();
  }
}

describe('SqliteSeriesStore.prune: batches', () => {
  it(`deletes ${SERIES_PRUNE_BATCH_ROWS} rows per batch, a pause after each, and keeps the points inside the retention`, async () => {
    const { store, file } = open();
    store.write(icmp('r1', 12_000, (i) => T0 + i * MIN));
    store.write(icmp('r1', 10, (i) => T0 + 30 * DAY + i * MIN));
    await store.flush();
    const before = T0 + 20 * DAY;
    const left: number[] = [];
    const r = await store.prune(before + RETENTION, { pause: async () => { left.push(oldPoints(file, before)); } });
    expect(r).toEqual({ points: 12_000, days: 0, batches: 3, stopped: false });
    // the first batch also visits the series (one row of its budget)
    expect(left).toEqual([7001, 2001, 0]);
    expect(oldPoints(file, Infinity)).toBe(10);
    await store.close();
  });

  it('gives the event loop a turn between batches (an immediate queued after the call runs before the run ends)', async () => {
    const { store, file } = open();
    store.write(icmp('r1', 12_000, (i) => T0 + i * MIN));
    await store.flush();
    const before = T0 + 20 * DAY;
    let seen: number | undefined;
    setImmediate(() => { seen = oldPoints(file, before); });
    const r = await store.prune(before + RETENTION);
    // the old prune deleted all 12,000 in one transaction before anything else ran
    expect(seen).toBe(7001);
    expect(r.points).toBe(12_000);
    await store.close();
  });

  it('visits at most batchSize rows per batch across series, a series counting as one', async () => {
    const { store, file } = open();
    store.write(icmp('empty', 3, (i) => T0 + 30 * DAY + i));
    for (const d of ['a', 'b', 'c']) store.write(icmp(d, 3000, (i) => T0 + i * MIN));
    await store.flush();
    const before = T0 + 20 * DAY;
    const left: number[] = [];
    const r = await store.prune(before + RETENTION, { pause: async () => { left.push(oldPoints(file, before)); } });
    // 1: series 1 (nothing old), series 2 (3000), series 3 (1997 of them); 2: series 3 (1003), series 4 (3000), the end
    expect(r).toEqual({ points: 9000, days: 0, batches: 2, stopped: false });
    expect(left).toEqual([9000 - 4997, 0]);
    await store.close();
  });

  it('many series with nothing to prune are walked in steps of batchSize series', async () => {
    const { store } = open();
    for (let i = 0; i < 12; i++) store.write(icmp(`d${i}`, 1, () => T0 + 30 * DAY));
    await store.flush();
    let pauses = 0;
    const r = await store.prune(T0 + RETENTION, { batchSize: 5, pause: async () => { pauses++; } });
    // 12 series and the lookup that finds no 13th: 13 rows visited
    expect(r).toEqual({ points: 0, days: 0, batches: 3, stopped: false });
    expect(pauses).toBe(3);
    await store.close();
  });

  it('a call during a run follows it: nothing of it runs before the run ends', async () => {
    const { store, file } = open();
    store.write(icmp('r1', 12_000, (i) => T0 + i * MIN));
    await store.flush();
    await store.prune(0); // after the start-up run, a cut before every point
    const before = T0 + 20 * DAY;
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const first = store.prune(before + RETENTION, { pause: () => held });
    const second = store.prune(before + RETENTION);
    // a second run going on at once would have deleted its first batch by now
    expect(oldPoints(file, before)).toBe(7001);
    release();
    expect(await first).toEqual({ points: 12_000, days: 0, batches: 3, stopped: false });
    expect(await second).toEqual({ points: 0, days: 0, batches: 1, stopped: false });
    await store.close();
  });

  it('without a time, the cut is the store clock (opts.now) minus the retention, as for its day cache', async () => {
    const NOW = T0 + 40 * DAY;
    const { store, file } = open({ now: () => NOW, retentionMs: DAY });
    store.write(icmp('r1', 2, (i) => (i === 0 ? T0 : NOW - 3_600_000)));
    await store.flush();
    // Date.now() lies far past NOW: a cut by it would delete both points
    expect((await store.prune()).points).toBe(1);
    expect(oldPoints(file, Infinity)).toBe(1);
    await store.close();
  });
});

describe('SqliteSeriesStore.prune: stopping', () => {
  it('the store closing during a pause ends the run before its next batch, without an error; the next start-up prunes the rest', async () => {
    const { store, file, errors } = open();
    store.write(icmp('r1', 12_000, (i) => T0 + i * MIN));
    await store.flush();
    const before = T0 + 20 * DAY;
    const r = await store.prune(before + RETENTION, { pause: () => store.close() });
    expect(r).toEqual({ points: 4999, days: 0, batches: 1, stopped: true });
    expect(errors).toEqual([]);
    expect(oldPoints(file, before)).toBe(7001);
    const again = open({ file, retentionMs: Date.now() - before });
    expect((await again.store.prune()).stopped).toBe(false);
    expect(oldPoints(file, before)).toBe(0);
    expect(again.errors).toEqual([]);
    await again.store.close();
  });

  it('a prune of a closed store does nothing', async () => {
    const { store, errors } = open();
    await store.close();
    expect(await store.prune()).toEqual({ points: 0, days: 0, batches: 0, stopped: true });
    expect(errors).toEqual([]);
  });

  it('a failing batch is logged, naming the store, and ends the run', async () => {
    const { store, file, errors } = open();
    store.write(icmp('r1', 10, (i) => T0 + i));
    await store.flush();
    const db = new Database(file);
    db.exec('CREATE TRIGGER no_deletes BEFORE DELETE ON points BEGIN SELECT RAISE(ABORT, \'read-only points\'); END');
    db.close();
    const r = await store.prune(T0 + DAY + RETENTION);
    expect(r).toMatchObject({ points: 0, batches: 0, stopped: false, error: 'read-only points' });
    expect(errors).toEqual([`storage: sqlite ${file}: prune: read-only points (removed 0 points before it; the next run goes on)`]);
    await store.close();
  });
});

describe('SqliteSeriesStore.prune: the availability day cache', () => {
  const status = (device: string): Sample[] => Array.from({ length: 6 * 288 }, (_, i) => ({
    measurement: 'device_status', tags: { device }, fields: { state: i % 97 < 5 ? 'down' : 'up', state_code: i % 97 < 5 ? 3n : 0n }, time: T0 + i * 5 * MIN,
  }));

  it('cached days stay consistent with the samples at every pause: reports between batches answer as if uncached', async () => {
    const NOW = T0 + 7 * DAY;
    const { store: cached, file } = open({ now: () => NOW });
    const { store: raw } = open({ file, availabilityCache: false });
    for (const d of ['a', 'b', 'c']) cached.write(status(d));
    await cached.flush();
    const q = { from: T0, to: T0 + 6 * DAY, maxGapMs: 15 * MIN };
    expect(await cached.availability(q)).toEqual(await raw.availability(q));
    const db = new Database(file, { readonly: true });
    const rowsBefore = (t: number) => db.prepare('SELECT count(*) FROM availability_days WHERE day < ?').pluck().get(t) as number;
    try {
      const before = T0 + 3 * DAY + 12 * 3_600_000;
      expect(rowsBefore(before)).toBe(3 * 4); // days 0-3 of 3 devices
      let pauses = 0;
      const r = await cached.prune(before + RETENTION, {
        batchSize: 500,
        pause: async () => {
          pauses++;
          // each report also caches the days it computes, from what is left of them
          expect(await cached.availability(q)).toEqual(await raw.availability(q));
        },
      });
      // 3 × 1008 points; the 12 cached rows go in the first batch, the rows the reports cache again go in the later ones
      expect(r.points).toBe(3 * 1008);
      expect(r.days).toBeGreaterThan(12);
      expect(pauses).toBe(r.batches);
      expect(r.batches).toBeGreaterThan(6);
      // days wholly pruned have no samples left: no report caches them again
      expect(rowsBefore(T0 + 3 * DAY)).toBe(0);
      expect(await cached.availability(q)).toEqual(await raw.availability(q));
    } finally {
      db.close();
      await cached.close();
      await raw.close();
    }
  });
});
