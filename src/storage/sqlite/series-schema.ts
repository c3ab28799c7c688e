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

/**
 * The version of a series.db written before its schema was versioned (user_version 0, created
 * with CREATE TABLE IF NOT EXISTS), told from its tables: 0 empty, 1 without the day cache,
 * 2 with the day cache but without its runs, 3 with them.
 */
export function unversionedSeriesVersion(db: Database.Database): number {
  const columns = (table: string) => db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
  if (columns('series').length === 0) return 0;
  const days = columns('availability_days');
  if (days.length === 0) return 1;
  return days.includes('runs') ? 3 : 2;
}
