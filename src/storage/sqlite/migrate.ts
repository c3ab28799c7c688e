/**
 * Versioned schemas of netpulse's SQLite files (state.db, series.db). `PRAGMA user_version`
 * records how many of a file's migrations have run; each runs once, in order, in its own
 * transaction. A file from a newer netpulse (a higher version) is refused. Never edit a released
 * migration: append a new one.
 */
import type Database from 'better-sqlite3';
import { NetpulseError, errorMessage } from '../../errors/index.ts';

export interface MigrateOptions {
  /**
   * Adopts a file written before its schema was versioned (user_version 0): brings it to a
   * version idempotently and returns that version, or returns 0 for an empty file (left to the
   * migrations). Runs inside migrate()'s write transaction.
   */
  unversioned?: (db: Database.Database) => number;
}

const versionOf = (db: Database.Database) => db.pragma('user_version', { simple: true }) as number;

/** `target` names the file in errors (`state <file>`, `sqlite <file>`) */
export function migrate(db: Database.Database, target: string, migrations: readonly string[], opts: MigrateOptions = {}): void {
  const fail = (reason: string, err?: unknown) => new NetpulseError({
    scope: 'storage', target, action: 'migrate', reason: err === undefined ? reason : `${reason}: ${errorMessage(err)}`, cause: err,
  });
  const newer = (v: number) => new NetpulseError({
    scope: 'storage', target, action: 'migrate',
    reason: `schema version ${v} is newer than this netpulse knows (${migrations.length}); upgrade netpulse`, kind: 'version',
  });
  // read without a lock: an up-to-date file opens while another connection holds a write
  // transaction (an overlapping restart)
  const current = versionOf(db);
  if (current > migrations.length) throw newer(current);
  if (current === migrations.length) return;
  for (;;) {
    // IMMEDIATE: the write lock first, then the version again, so that two processes opening
    // the file at once do not both run a step
    const done = db.transaction(() => {
      let v = versionOf(db);
      if (v === 0 && opts.unversioned) {
        try {
          v = opts.unversioned(db);
        } catch (err) {
          throw fail('adopting a file without a schema version', err);
        }
        if (v > 0) db.pragma(`user_version = ${v}`);
      }
      if (v > migrations.length) throw newer(v);
      if (v === migrations.length) return true;
      try {
        db.exec(migrations[v]);
      } catch (err) {
        throw fail(`to schema version ${v + 1}`, err);
      }
      db.pragma(`user_version = ${v + 1}`);
      return false;
    }).immediate();
    if (done) return;
  }
}
