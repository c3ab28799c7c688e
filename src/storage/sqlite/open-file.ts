/**
 * How netpulse opens its SQLite files (state.db, series.db, the InfluxDB spool): the folder created, WAL with
 * synchronous=NORMAL and one busy timeout, so a second connection (an overlapping restart, the CLI
 * beside the daemon) waits for the other's lock instead of failing at once with "database is locked".
 */
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { NetpulseError, errorMessage } from '../../errors/index.ts';

/** how long a statement waits for another connection's lock before failing with SQLITE_BUSY */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

export interface OpenFileOptions {
  /** names the file in errors: `state <file>`, `sqlite <file>` */
  target: string;
  /** a file this call creates gets this mode (state.db holds credentials: 0o600) */
  mode?: number;
  /** a file this call creates gets `auto_vacuum = INCREMENTAL` (it only takes effect before the first table) */
  incrementalVacuum?: boolean;
}

/** `file` ':memory:' for tests. Throws a NetpulseError `storage: <target>: open: <cause>`, the file closed. */
export function openSqliteFile(file: string, opts: OpenFileOptions): Database.Database {
  let db: Database.Database | undefined;
  try {
    const memory = file === ':memory:';
    const fresh = !memory && !existsSync(file);
    if (!memory) mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    if (fresh && opts.mode !== undefined) chmodSync(file, opts.mode);
    if ((fresh || memory) && opts.incrementalVacuum) db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    return db;
  } catch (err) {
    db?.close();
    throw new NetpulseError({ scope: 'storage', target: opts.target, action: 'open', reason: errorMessage(err), cause: err });
  }
}
