/**
 * Versioned schema of the embedded time-series store (series.db), run by migrate.ts. Never edit
 * a released migration: append a new one.
 */
import type Database from 'better-sqlite3';

export const SERIES_MIGRATIONS: readonly string[] = [
  // 1: series and their points
  `
  CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    measurement TEXT NOT NULL,
    device TEXT NOT NULL,
    tags TEXT NOT NULL,
    UNIQUE (measurement, tags)
  );
  CREATE INDEX series_device ON series (measurement, device);
  CREATE TABLE points (
    series_id INTEGER NOT NULL,
    time INTEGER NOT NULL,
    fields TEXT NOT NULL,
    PRIMARY KEY (series_id, time)
  ) WITHOUT ROWID;
  `,
  // 2: the availability day cache (availability-cache.ts)
  `
  CREATE TABLE availability_days (
    device TEXT NOT NULL,
    day INTEGER NOT NULL,
    max_gap_ms REAL NOT NULL,
    span TEXT NOT NULL,
    PRIMARY KEY (device, day, max_gap_ms)
  ) WITHOUT ROWID;
  CREATE INDEX availability_days_by_day ON availability_days (day);
  `,
  // 3: a cached day's state runs, for timeline reports (rows from before: NULL, no runs known)
  `
  ALTER TABLE availability_days ADD COLUMN runs TEXT;
  `,
];

/** the tables of versions 1-2, each created only where missing */
const UNVERSIONED_TABLES = SERIES_MIGRATIONS.slice(0, 2).join('').replace(/CREATE (TABLE|INDEX) /g, 'CREATE $1 IF NOT EXISTS ');

/**
 * Adopts a series.db written before its schema was versioned (user_version 0, created with
 * CREATE TABLE IF NOT EXISTS on every open): 0 for a file without any of its tables; otherwise
 * adds what is missing (an older netpulse could crash between its autocommitted CREATEs, leaving
 * `series` without `points`), keeping the rows, and returns 3, the last unversioned schema.
 */
export function adoptUnversionedSeries(db: Database.Database): number {
  const columns = (table: string) => db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
  if (!['series', 'points', 'availability_days'].some((table) => columns(table).length > 0)) return 0;
  db.exec(UNVERSIONED_TABLES);
  if (!columns('availability_days').includes('runs')) db.exec(SERIES_MIGRATIONS[2]);
  return 3;
}
