/**
 * Opening netpulse's SQLite files (src/storage/sqlite/open-file.ts): one busy timeout for state.db
 * and series.db, and every failure to open or prepare naming the file.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NetpulseError } from '../../src/errors/index.ts';
import { Spool } from '../../src/storage/influx/spool.ts';
import { SQLITE_BUSY_TIMEOUT_MS, openSqliteFile } from '../../src/storage/sqlite/open-file.ts';
import { SERIES_MIGRATIONS } from '../../src/storage/sqlite/series-schema.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { openSeriesStore as openSeries } from './open-series.ts';

const dir = mkdtempSync(join(tmpdir(), 'netpulse-sqlite-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** a file at the current version whose schema was damaged after it was stamped */
function damagedFile(damage: string): string {
  const file = join(dir, `damaged${++n}.db`);
  const db = new Database(file);
  db.exec(SERIES_MIGRATIONS.join(''));
  db.pragma(`user_version = ${SERIES_MIGRATIONS.length}`);
  db.exec(damage);
  db.close();
  return file;
}

function notADatabase(): string {
  const file = join(dir, `garbage${++n}.db`);
  writeFileSync(file, 'this is not an SQLite file, just text long enough to fill a header '.repeat(20));
  return file;
}

describe('opening SQLite files', () => {
  it('opens the InfluxDB spool with the shared busy timeout, every write fsync\'d', () => {
    const spool = new Spool(join(dir, 'spool', 'spool.db'), 1_000_000);
    const db = (spool as unknown as { db: Database.Database }).db;
    expect(db.pragma('busy_timeout', { simple: true })).toBe(SQLITE_BUSY_TIMEOUT_MS);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    spool.close();
  });

  it('opens with the shared busy timeout, in WAL', () => {
    const db = openSqliteFile(join(dir, 'sub', 'plain.db'), { target: 'test' });
    expect(db.pragma('busy_timeout', { simple: true })).toBe(SQLITE_BUSY_TIMEOUT_MS);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it.each([
    ['points dropped', 'DROP TABLE points', 'preparing statements: no such table: points'],
    ['points without fields', 'ALTER TABLE points DROP COLUMN fields', 'preparing statements: table points has no column named fields'],
    ['the day cache dropped', 'DROP TABLE availability_days', 'preparing the availability day cache: no such table: availability_days'],
  ])('names series.db when a statement cannot be prepared (%s)', (_name, damage, reason) => {
    const file = damagedFile(damage);
    expect(() => openSeries(file)).toThrow(new NetpulseError({ scope: 'storage', target: `sqlite ${file}`, action: 'open', reason }));
  });

  it.each([
    ['series.db', (file: string) => openSeries(file), 'sqlite'],
    ['state.db', (file: string) => new StateStore(file), 'state'],
    ['the InfluxDB spool', (file: string) => new Spool(file, 1_000_000), 'spool'],
  ])('names %s when it is not a database', (_name, open, kind) => {
    const file = notADatabase();
    expect(() => open(file)).toThrow(`storage: ${kind} ${file}: open: file is not a database`);
  });

  it('names series.db when its folder cannot be created', () => {
    const blocker = join(dir, `blocker${++n}`);
    writeFileSync(blocker, '');
    const file = join(blocker, 'series.db');
    expect(() => openSeries(file)).toThrow(`storage: sqlite ${file}: open: EEXIST: file already exists, mkdir '${blocker}'`);
  });
});
