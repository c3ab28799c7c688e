/**
 * Whether an existing table can hold series.db's writes (src/storage/sqlite/table-shape.ts): the
 * shape read from SQLite's pragmas and the problems found in it, one table per case.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SERIES_TABLE_NEEDS } from '../../src/storage/sqlite/series-schema.ts';
import { readTableShape, shapeProblems } from '../../src/storage/sqlite/table-shape.ts';

const SERIES = 'CREATE TABLE series (id INTEGER PRIMARY KEY, measurement TEXT NOT NULL, device TEXT NOT NULL, tags TEXT NOT NULL, UNIQUE (measurement, tags))';
const POINTS = 'CREATE TABLE points (series_id INTEGER NOT NULL, time INTEGER NOT NULL, fields TEXT NOT NULL, PRIMARY KEY (series_id, time)) WITHOUT ROWID';

describe('shapeProblems', () => {
  it.each([
    ['series as netpulse creates it', 'series', SERIES, []],
    ['points as netpulse creates it', 'points', POINTS, []],
    ['series with an extra nullable column', 'series', SERIES.replace('tags TEXT NOT NULL', 'tags TEXT NOT NULL, note TEXT'), []],
    ['an extra NOT NULL column with a default', 'points', POINTS.replace('fields TEXT NOT NULL', "fields TEXT NOT NULL, unit TEXT NOT NULL DEFAULT ''"), []],
    ['the key as a unique index, columns in another order', 'series', `${SERIES.replace(', UNIQUE (measurement, tags)', '')}; CREATE UNIQUE INDEX s_key ON series (tags, measurement)`, []],
    ['the key as the primary key of a rowid table', 'points', POINTS.replace(' WITHOUT ROWID', ''), []],
    ['a missing column', 'points', 'CREATE TABLE points (series_id INTEGER NOT NULL, time INTEGER NOT NULL, PRIMARY KEY (series_id, time))', ['missing column fields']],
    ['missing columns, in the order the code uses them', 'points', 'CREATE TABLE points (series_id INTEGER, value REAL)',
      ['missing columns time, fields', 'no unique key on (series_id, time)']],
    ['no unique key', 'series', SERIES.replace(', UNIQUE (measurement, tags)', ''), ['no unique key on (measurement, tags)']],
    ['a key on more columns', 'series', SERIES.replace('UNIQUE (measurement, tags)', 'UNIQUE (measurement, device, tags)'), ['no unique key on (measurement, tags)']],
    ['only a partial unique index', 'series', `${SERIES.replace(', UNIQUE (measurement, tags)', '')}; CREATE UNIQUE INDEX s_key ON series (measurement, tags) WHERE device <> ''`,
      ['no unique key on (measurement, tags)']],
    ['a unique index on an expression', 'series', `${SERIES.replace(', UNIQUE (measurement, tags)', '')}; CREATE UNIQUE INDEX s_key ON series (measurement, lower(tags))`,
      ['no unique key on (measurement, tags)']],
    ['an id that is not the INTEGER PRIMARY KEY', 'series', SERIES.replace('id INTEGER PRIMARY KEY', 'id INTEGER'), ['id is not its INTEGER PRIMARY KEY']],
    ['an id of another type', 'series', SERIES.replace('id INTEGER PRIMARY KEY', 'id TEXT PRIMARY KEY'), ['id is not its INTEGER PRIMARY KEY']],
    ['series WITHOUT ROWID', 'series', `${SERIES} WITHOUT ROWID`, ['id is not its INTEGER PRIMARY KEY']],
    ['an extra NOT NULL column without a default', 'points', POINTS.replace('fields TEXT NOT NULL', 'fields TEXT NOT NULL, unit TEXT NOT NULL'),
      ['column unit is NOT NULL without a default (netpulse does not write it)']],
    ['an extra primary key column of a WITHOUT ROWID table', 'points', POINTS.replace('fields TEXT NOT NULL,', 'fields TEXT NOT NULL, seq INTEGER,').replace('(series_id, time)', '(series_id, time, seq)'),
      ['no unique key on (series_id, time)', 'column seq is NOT NULL without a default (netpulse does not write it)']],
    ['availability_days without runs (added on adoption)', 'availability_days',
      'CREATE TABLE availability_days (device TEXT NOT NULL, day INTEGER NOT NULL, max_gap_ms REAL NOT NULL, span TEXT NOT NULL, PRIMARY KEY (device, day, max_gap_ms)) WITHOUT ROWID', []],
  ])('%s', (_name, table, sql, problems) => {
    const db = new Database(':memory:');
    try {
      db.exec(sql);
      expect(shapeProblems(SERIES_TABLE_NEEDS[table], readTableShape(db, table)!)).toEqual(problems);
    } finally {
      db.close();
    }
  });

  it('reads no shape for a table that does not exist', () => {
    const db = new Database(':memory:');
    expect(readTableShape(db, 'points')).toBeUndefined();
    db.close();
  });
});
