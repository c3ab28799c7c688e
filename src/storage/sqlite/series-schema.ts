/**
 * Versioned schema of the embedded time-series store (series.db), run by migrate.ts. Never edit
 * a released migration: append a new one.
 */
import type Database from 'better-sqlite3';
import { readTableShape, shapeProblems, type TableNeeds } from './table-shape.ts';

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

/** what the code reads and writes in each table of versions 1-3 (`runs` is added where missing) */
export const SERIES_TABLE_NEEDS: Readonly<Record<string, TableNeeds>> = {
  series: { columns: ['id', 'measurement', 'device', 'tags'], key: ['measurement', 'tags'], rowid: 'id' },
  points: { columns: ['series_id', 'time', 'fields'], key: ['series_id', 'time'] },
  availability_days: { columns: ['device', 'day', 'max_gap_ms', 'span'], key: ['device', 'day', 'max_gap_ms'] },
};

/**
 * Adopts a series.db written before its schema was versioned (user_version 0, created with
 * CREATE TABLE IF NOT EXISTS on every open): 0 for a file without any of its tables; otherwise
 * adds what is missing (an older netpulse could crash between its autocommitted CREATEs, leaving
 * `series` without `points`), keeping the rows, and returns 3, the last unversioned schema.
 * Throws, changing nothing, when a table of the same name cannot hold what the code writes.
 */
export function adoptUnversionedSeries(db: Database.Database): number {
  const shapes = Object.keys(SERIES_TABLE_NEEDS).map((table) => [table, readTableShape(db, table)] as const);
  if (shapes.every(([, shape]) => shape === undefined)) return 0;
  const problems = shapes.flatMap(([table, shape]) => {
    const found = shape ? shapeProblems(SERIES_TABLE_NEEDS[table], shape) : [];
    return found.length ? [`table ${table}: ${found.join(', ')}`] : [];
  });
  if (problems.length) throw new Error(`${problems.join('; ')} (file left unchanged)`);
  db.exec(UNVERSIONED_TABLES);
  if (!readTableShape(db, 'availability_days')!.columns.some((c) => c.name === 'runs')) db.exec(SERIES_MIGRATIONS[2]);
  return 3;
}
