/**
 * series.db's versioned schema (src/storage/sqlite/series-schema.ts, migrate.ts): a new file, the
 * files older netpulse versions wrote (no user_version, some half-created), one from a newer
 * netpulse, and an open beside another connection's write transaction.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERIES_MIGRATIONS, adoptUnversionedSeries } from '../../src/storage/sqlite/series-schema.ts';
import type { SqliteSeriesStore } from '../../src/storage/sqlite/series-store.ts';
import { openSeriesStore as open } from './open-series.ts';

const dir = mkdtempSync(join(tmpdir(), 'netpulse-series-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const newFile = () => join(dir, `series${++n}.db`);

// the schema as netpulse wrote it before it was versioned (CREATE ... IF NOT EXISTS on every open)
const LEGACY_SERIES = `
  CREATE TABLE IF NOT EXISTS series (id INTEGER PRIMARY KEY, measurement TEXT NOT NULL, device TEXT NOT NULL, tags TEXT NOT NULL, UNIQUE (measurement, tags));
  CREATE INDEX IF NOT EXISTS series_device ON series (measurement, device);
  CREATE TABLE IF NOT EXISTS points (series_id INTEGER NOT NULL, time INTEGER NOT NULL, fields TEXT NOT NULL, PRIMARY KEY (series_id, time)) WITHOUT ROWID;
`;
const LEGACY_DAYS = `
  CREATE TABLE IF NOT EXISTS availability_days (device TEXT NOT NULL, day INTEGER NOT NULL, max_gap_ms REAL NOT NULL, span TEXT NOT NULL,
    PRIMARY KEY (device, day, max_gap_ms)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS availability_days_by_day ON availability_days (day);
`;
const LEGACY_RUNS = 'ALTER TABLE availability_days ADD COLUMN runs TEXT;';

function legacyFile(schema: string, rows: boolean): string {
  const file = newFile();
  const db = new Database(file);
  db.exec(schema);
  if (rows) {
    db.exec(`INSERT INTO series (id, measurement, device, tags) VALUES (1, 'icmp', 'r1', '{"device":"r1"}');
      INSERT INTO points (series_id, time, fields) VALUES (1, 1000, '{"rtt_avg_ms":1.5}'), (1, 2000, '{"rtt_avg_ms":2.5}');`);
    if (schema.includes('availability_days')) db.exec("INSERT INTO availability_days (device, day, max_gap_ms, span) VALUES ('r1', 0, 150000, '[1]')");
  }
  db.close();
  return file;
}

/** user_version, the tables, availability_days' columns and its rows, read after the store closed */
function inspect(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      tables: db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all(),
      dayColumns: db.prepare("SELECT name FROM pragma_table_info('availability_days')").pluck().all(),
      days: db.prepare('SELECT device, day, span, runs FROM availability_days').all(),
    };
  } finally {
    db.close();
  }
}

const rtts = async (store: SqliteSeriesStore) =>
  (await store.querySeries({ measurement: 'icmp', device: 'r1', from: 0, to: 10_000 }))[0]?.points.map((p) => p.values.rtt_avg_ms);

describe('series.db schema versions', () => {
  it('creates a new file at the latest version and reopens it unchanged', async () => {
    const file = newFile();
    let store = open(file);
    store.write([{ measurement: 'icmp', tags: { device: 'r1' }, fields: { rtt_avg_ms: 1.5 }, time: 1000 }]);
    await store.flush();
    await store.close();
    expect(inspect(file)).toEqual({ version: SERIES_MIGRATIONS.length, tables: ['availability_days', 'points', 'series'], dayColumns: ['device', 'day', 'max_gap_ms', 'span', 'runs'], days: [] });
    store = open(file);
    expect(await rtts(store)).toEqual([1.5]);
    await store.close();
    expect(inspect(file).version).toBe(SERIES_MIGRATIONS.length);
  });

  it.each([
    ['from before the day cache', LEGACY_SERIES],
    ['from before the day cache kept runs', LEGACY_SERIES + LEGACY_DAYS],
    ['with the runs but no version', LEGACY_SERIES + LEGACY_DAYS + LEGACY_RUNS],
  ])('upgrades a file %s once, keeping its rows', async (_name, schema) => {
    const file = legacyFile(schema, true);
    for (let i = 0; i < 2; i++) {
      const store = open(file);
      expect(await rtts(store)).toEqual([1.5, 2.5]);
      await store.close();
      const after = inspect(file);
      expect(after.version).toBe(SERIES_MIGRATIONS.length);
      expect(after.dayColumns).toContain('runs');
      expect(after.days).toEqual(schema.includes('availability_days') ? [{ device: 'r1', day: 0, span: '[1]', runs: null }] : []);
    }
  });

  it('refuses a file from a newer netpulse, naming it', () => {
    const file = legacyFile(LEGACY_SERIES + LEGACY_DAYS + LEGACY_RUNS, false);
    const db = new Database(file);
    db.pragma(`user_version = ${SERIES_MIGRATIONS.length + 1}`);
    db.close();
    expect(() => open(file)).toThrow(`storage: sqlite ${file}: migrate: schema version ${SERIES_MIGRATIONS.length + 1} is newer than this netpulse knows (${SERIES_MIGRATIONS.length}); upgrade netpulse`);
  });

  // an older netpulse that crashed between its autocommitted CREATEs on first start left these
  it.each([
    ['series but no points', LEGACY_SERIES.split(';')[0], "INSERT INTO series (id, measurement, device, tags) VALUES (1, 'icmp', 'r1', '{}')", 'series'],
    ['only the day cache', LEGACY_DAYS, "INSERT INTO availability_days (device, day, max_gap_ms, span) VALUES ('r1', 0, 150000, '[1]')", 'availability_days'],
  ])('completes a half-created unversioned file with %s, keeping its rows', async (_name, schema, row, table) => {
    const file = newFile();
    const db = new Database(file);
    db.exec(schema);
    db.exec(row);
    db.close();
    for (let i = 0; i < 2; i++) {
      const store = open(file);
      expect(await rtts(store)).toBeUndefined();
      await store.close();
      const after = inspect(file);
      expect(after.version).toBe(SERIES_MIGRATIONS.length);
      expect(after.tables).toEqual(['availability_days', 'points', 'series']);
      expect(after.dayColumns).toEqual(['device', 'day', 'max_gap_ms', 'span', 'runs']);
      const check = new Database(file, { readonly: true });
      expect(check.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(1);
      check.close();
    }
  });

  it.each([
    // claims the day cache it lacks, so step 3's ALTER fails
    ['a step', LEGACY_SERIES + 'PRAGMA user_version = 2;', 'to schema version 3: no such table: availability_days'],
    // an unversioned series table without its device column (nor the key the upsert names)
    ['adopting an unversioned file', 'CREATE TABLE series (id INTEGER PRIMARY KEY, measurement TEXT NOT NULL, tags TEXT NOT NULL);',
      'adopting a file without a schema version: table series: missing column device, no unique key on (measurement, tags) (file left unchanged)'],
  ])('names the file when %s fails', (_name, schema, reason) => {
    const file = newFile();
    const db = new Database(file);
    db.exec(schema);
    db.close();
    expect(() => open(file)).toThrow(`storage: sqlite ${file}: migrate: ${reason}`);
  });

  it.each([
    ['points without fields and time', LEGACY_SERIES.split(';').slice(0, 2).join(';') + '; CREATE TABLE points (series_id INTEGER NOT NULL, at INTEGER, value REAL);',
      'table points: missing columns time, fields, no unique key on (series_id, time)'],
    ['series and points both wrong', LEGACY_SERIES.replace(', UNIQUE (measurement, tags)', '').replace('fields TEXT NOT NULL,', 'fields TEXT NOT NULL, unit TEXT NOT NULL,'),
      'table series: no unique key on (measurement, tags); table points: column unit is NOT NULL without a default (netpulse does not write it)'],
  ])('refuses an unversioned file whose tables cannot hold its writes (%s), leaving it as it was', (_name, schema, reason) => {
    const file = newFile();
    const db = new Database(file);
    db.exec(schema);
    db.exec(`INSERT INTO series (id, measurement, device, tags) VALUES (1, 'icmp', 'r1', '{"device":"r1"}')`);
    const before = db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all();
    db.close();
    expect(() => open(file)).toThrow(`storage: sqlite ${file}: migrate: adopting a file without a schema version: ${reason} (file left unchanged)`);
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(0);
    expect(after.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all()).toEqual(before);
    expect(after.prepare('SELECT count(*) FROM series').pluck().get()).toBe(1);
    after.close();
  });

  it('opens an up-to-date file while another connection holds a write transaction', async () => {
    const file = newFile();
    await open(file).close();
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      const store = open(file);
      await store.close();
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it.each([
    ['an empty file', '', 0, []],
    ['series and points', LEGACY_SERIES, 3, ['availability_days', 'points', 'series']],
    ['series without points', LEGACY_SERIES.split(';')[0], 3, ['availability_days', 'points', 'series']],
    ['the day cache only', LEGACY_DAYS, 3, ['availability_days', 'points', 'series']],
    ['the day cache without runs', LEGACY_SERIES + LEGACY_DAYS, 3, ['availability_days', 'points', 'series']],
    ['the day cache with runs', LEGACY_SERIES + LEGACY_DAYS + LEGACY_RUNS, 3, ['availability_days', 'points', 'series']],
  ])('adopts an unversioned file with %s', (_name, schema, want, tables) => {
    const db = new Database(':memory:');
    db.exec(schema);
    expect(adoptUnversionedSeries(db)).toBe(want);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(tables);
    if (want) expect(db.prepare("SELECT name FROM pragma_table_info('availability_days')").pluck().all()).toContain('runs');
    db.close();
  });
});
