/**
 * The SQLite availability path against the implementation it replaced (kept here as the
 * reference: json_extract of state and state_code per row, sampleState in JS, the fold), on
 * seeded random device_status histories: gaps, unknown and malformed states, several
 * SNMP-version series per device (ties in time included), merged writes, range edges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteSeriesStore } from '../../src/storage/sqlite/series-store.ts';
import { newFold, readFrom, sampleState, type AvailabilityQuery, type DeviceAvailability } from '../../src/storage/availability.ts';
import type { Sample } from '../../src/model/index.ts';
import { seededRandom } from '../seeded-random.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const silent = { debug() {}, info() {}, warn() {}, error() {} };

const rng = seededRandom;

/** the implementation before the SQL state mapping, ties ordered by series id */
function reference(db: Database.Database, q: AvailabilityQuery): DeviceAvailability[] {
  const devices = q.device !== undefined ? [q.device]
    : q.devices !== undefined ? [...new Set(q.devices)].filter((d) => d !== '').sort()
      : db.prepare("SELECT DISTINCT device FROM series WHERE measurement = 'device_status' AND device <> '' ORDER BY device").pluck().all() as string[];
  const states = db.prepare(
    `SELECT p.time AS time, json_extract(p.fields, '$.state') AS state, json_extract(p.fields, '$.state_code') AS code
     FROM series s JOIN points p ON p.series_id = s.id
     WHERE s.measurement = 'device_status' AND s.device = ? AND p.time >= ? AND p.time < ? ORDER BY p.time, s.id`,
  );
  const out: DeviceAvailability[] = [];
  for (const device of devices) {
    const fold = newFold(q, device);
    if (q.to > q.from) {
      for (const r of states.iterate(device, readFrom(q), q.to) as IterableIterator<{ time: number; state: unknown; code: unknown }>) fold.add(r.time, sampleState(r.state, r.code));
    }
    const result = fold.finish();
    if (q.device !== undefined || result.samples > 0) out.push(result);
  }
  return out;
}

const VALID = ['up', 'snmp-unreachable', 'auth-failed', 'down', 'unknown'] as const;

/** the fields of one sample: mostly what the poller writes, sometimes anything a store may hold */
function fieldsOf(r: () => number, state: string): Sample['fields'] {
  const code = BigInt(VALID.indexOf(state as (typeof VALID)[number]));
  const x = r();
  if (x < 0.75) return { state, state_code: code, poll_duration_ms: 12.5, missed_polls: 0n, error: '' };
  const odd: Sample['fields'][] = [
    { state },                                        // no comma after the state
    { state_code: code, state },                      // state not first
    { state: 'bogus', state_code: 2n },
    { state_code: 3n },
    { state_code: 1 },                                // float 1.0
    { state_code: 2.5 },
    { state_code: 7n },
    { state_code: -1n },
    { state_code: '1' },
    { state: 3, state_code: 0n },
    { state: true, state_code: 1n },
    { error: 'timeout' },                             // neither: unknown
    { state: 'up,"down', state_code: 3n },
    { state: 'Up', state_code: 3n },
    { state: 'down ', state_code: 0n },
    { error: 'x,y', state: 'down' },
  ];
  return odd[Math.floor(r() * odd.length)];
}

/** one device's random history into samples: runs of states, missed polls, long gaps, series switches and ties */
function history(r: () => number, device: string): Sample[] {
  const versions = ['1', '2c', '3'].slice(0, 1 + Math.floor(r() * 3));
  const interval = [MIN, 30_000, 5 * MIN, 15 * MIN][Math.floor(r() * 4)]; // 15 min: 90 h, several of the store's day slices
  const out: Sample[] = [];
  let state: string = 'up';
  let series = 0;
  for (let t = T0 - Math.floor(r() * 10 * MIN); t < T0 + 360 * interval; t += interval + Math.floor((r() - 0.5) * 2000)) {
    if (r() < 0.1) state = VALID[Math.floor(r() * VALID.length)];
    if (r() < 0.03) series = Math.floor(r() * versions.length);
    const y = r();
    if (y < 0.05) continue;                                   // a missed poll
    if (y < 0.07) { t += Math.floor(r() * 20) * interval; continue; } // a long gap
    const sample = (v: string, s: string): Sample => ({ measurement: 'device_status', tags: { device, snmp_version: v }, fields: fieldsOf(r, s), time: t });
    out.push(sample(versions[series], state));
    if (versions.length > 1 && r() < 0.05) out.push(sample(versions[(series + 1) % versions.length], VALID[Math.floor(r() * VALID.length)])); // a tie
    if (r() < 0.02) out.push({ ...sample(versions[series], state), fields: { state_code: BigInt(Math.floor(r() * 5)) } });   // merged into the same point
  }
  return out;
}

let dir: string;
let store: SqliteSeriesStore;
let db: Database.Database;
const DEVICES = Array.from({ length: 24 }, (_, i) => `dev-${String(i).padStart(2, '0')}`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netpulse-availability-sqlite-'));
  store = new SqliteSeriesStore({ file: join(dir, 'series.db'), retentionMs: 3650 * 86_400_000, pruneIntervalMs: 3_600_000, batchSize: 5000, flushIntervalMs: 10, logger: silent });
  const r = rng(20261203);
  for (const d of DEVICES) store.write(history(r, d));
  await store.flush();
  db = new Database(join(dir, 'series.db'), { readonly: true });
});

afterAll(async () => {
  db?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite availability equals the reference fold', () => {
  it('holds the odd states the generator writes (the test exercises both SQL paths)', () => {
    const texts = db.prepare("SELECT fields FROM points JOIN series ON series.id = series_id WHERE measurement = 'device_status'").pluck().all() as string[];
    expect(texts.filter((f) => f.startsWith('{"state":"up",')).length).toBeGreaterThan(100);
    expect(texts.filter((f) => !f.startsWith('{"state":')).length).toBeGreaterThan(20);
    expect(db.prepare("SELECT count(DISTINCT device) FROM series WHERE measurement = 'device_status' AND tags LIKE '%\"3\"%'").pluck().get()).toBeGreaterThan(0);
  });

  it('per device with a timeline, random ranges, gaps and segment caps (seeded)', async () => {
    const r = rng(7);
    for (let i = 0; i < 300; i++) {
      const device = DEVICES[Math.floor(r() * DEVICES.length)];
      const from = T0 - 30 * MIN + Math.floor(r() * 90 * 3_600_000);
      const to = from + 1 + Math.floor(r() * (r() < 0.5 ? 5 : 80) * 3_600_000);
      const maxGapMs = [150_000, 75_000, 2.5 * 61_001, 1 + Math.floor(r() * 40 * MIN)][Math.floor(r() * 4)];
      const q: AvailabilityQuery = { device, from, to, maxGapMs, timeline: r() < 0.7, maxSegments: [1000, 3, 17][Math.floor(r() * 3)] };
      expect(await store.availability(q), JSON.stringify(q)).toEqual(reference(db, q));
    }
  });

  it('the fleet, with per-device gaps, device lists and empty or backwards ranges (seeded)', async () => {
    const r = rng(11);
    for (let i = 0; i < 40; i++) {
      const from = T0 - 60 * MIN + Math.floor(r() * 30 * 3_600_000);
      const to = from + Math.floor((r() - 0.05) * 80 * 3_600_000);
      const maxGapByDevice = Object.fromEntries(DEVICES.filter(() => r() < 0.5).map((d) => [d, 30_000 + Math.floor(r() * 15 * MIN)]));
      const devices = r() < 0.5 ? DEVICES.filter(() => r() < 0.3).concat(r() < 0.5 ? ['nope', ''] : []) : undefined;
      const q: AvailabilityQuery = { from, to, maxGapMs: 150_000, maxGapByDevice, devices };
      const got = await store.availability(q);
      expect(got, JSON.stringify(q)).toEqual(reference(db, q));
      if (devices) expect(got.every((a) => devices.includes(a.device))).toBe(true);
    }
  });

  it('a device without samples, and one before any sample, are all no data', async () => {
    const q = { device: 'nope', from: T0, to: T0 + MIN, maxGapMs: 150_000, timeline: true };
    expect(await store.availability(q)).toEqual(reference(db, q));
    const early = { device: DEVICES[0], from: T0 - 86_400_000, to: T0 - 3_600_000, maxGapMs: 150_000 };
    const [a] = await store.availability(early);
    expect(a).toEqual(reference(db, early)[0]);
    expect(a.durations['no-data']).toBe(early.to - early.from);
    // decades around the data (the store skips empty stretches instead of reading them a day at a time)
    const wide = { device: DEVICES[1], from: 0, to: T0 + 3650 * 86_400_000, maxGapMs: 150_000, timeline: true, maxSegments: 50 };
    expect(await store.availability(wide)).toEqual(reference(db, wide));
  });

  it('refuses more listed devices than maxQuerySeries', async () => {
    const capped = new SqliteSeriesStore({ file: join(dir, 'series.db'), retentionMs: 3650 * 86_400_000, pruneIntervalMs: 3_600_000, batchSize: 5000, flushIntervalMs: 10, logger: silent, maxQuerySeries: 3 });
    try {
      await expect(capped.availability({ from: T0, to: T0 + MIN, maxGapMs: 1, devices: DEVICES.slice(0, 4) })).rejects.toThrow(/more than 3 series match \(maxQuerySeries\)/);
      expect(await capped.availability({ from: T0, to: T0 + 3_600_000, maxGapMs: 150_000, devices: DEVICES.slice(0, 3) })).toHaveLength(3);
    } finally {
      await capped.close();
    }
  });
});
