/**
 * The one-off conversion of a state.db created before incremental vacuum (auto_vacuum NONE): only
 * VACUUM makes `auto_vacuum = INCREMENTAL` take effect. VACUUM writes a copy of the data into
 * SQLite's temp folder and then the whole file into the WAL, so it needs about twice the data's
 * size free; it is skipped when that room is missing (a full data disk would starve everything
 * else on it). The WAL is truncated afterwards, whatever happened: SQLite reuses a WAL file but
 * never shrinks it, and it would hold the size of the database while netpulse runs.
 */
import type Database from 'better-sqlite3';
import { accessSync, constants, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { errorMessage } from '../../errors/index.ts';
import type { StorageLogger } from '../types.ts';

/** auto_vacuum modes (PRAGMA auto_vacuum) */
const AUTO_VACUUM_NONE = 0;

/** the folder SQLite's unix VFS puts VACUUM's temp copy in (its own search order) */
export function sqliteTempDir(): string {
  const candidates = [process.env.SQLITE_TMPDIR, process.env.TMPDIR, '/var/tmp', '/usr/tmp', '/tmp', '.'];
  for (const d of candidates) {
    if (!d) continue;
    try {
      if (!statSync(d).isDirectory()) continue;
      accessSync(d, constants.W_OK | constants.X_OK);
      return resolve(d);
    } catch {
      /* not usable: the next one */
    }
  }
  return resolve('.');
}

interface Room {
  dir: string;
  needs: number;
  free: number;
}

/** the folders VACUUM writes to, what it needs in each and what they have (one entry when they share a file system) */
function roomFor(file: string, bytes: number): Room[] {
  const where = (dir: string) => ({ dir, dev: statSync(dir).dev, free: (() => { const s = statfsSync(dir); return s.bavail * s.bsize; })() });
  const data = where(dirname(resolve(file)));
  const temp = where(sqliteTempDir());
  if (data.dev === temp.dev) return [{ dir: data.dir, needs: 2 * bytes, free: data.free }];
  return [{ dir: data.dir, needs: bytes, free: data.free }, { dir: temp.dir, needs: bytes, free: temp.free }];
}

/**
 * Converts `file` (open as `db`, WAL) to incremental vacuum when it is not yet; logged, as it
 * blocks for a while on a large file. Room missing or a failed VACUUM: logged, the file is used as
 * it is and the next start tries again.
 */
export function convertToIncrementalVacuum(db: Database.Database, file: string, target: string, log: StorageLogger): void {
  if (file === ':memory:' || db.pragma('auto_vacuum', { simple: true }) !== AUTO_VACUUM_NONE) return;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const mib = (bytes: number) => (bytes / 1048576).toFixed(1);
  const pages = db.pragma('page_count', { simple: true }) as number;
  // the copy holds the pages in use, plus 10% and 1 MiB for the WAL's frame headers and the b-trees' rebuild
  const used = (pages - (db.pragma('freelist_count', { simple: true }) as number)) * pageSize;
  const bytes = Math.ceil(used * 1.1) + 1048576;
  const unusable = `the file is used as it is (tried again at the next start)`;
  let short: Room[];
  try {
    short = roomFor(file, bytes).filter((r) => r.free < r.needs);
  } catch (err) {
    short = [];
    log.warn(`storage: ${target}: converting to incremental vacuum: free space unknown (${errorMessage(err)}); trying anyway`);
  }
  if (short.length > 0) {
    const rooms = short.map((r) => `${mib(r.needs)} MiB in ${r.dir}, ${mib(r.free)} MiB free`).join('; ');
    log.warn(`storage: ${target}: converting to incremental vacuum: skipped, VACUUM needs room for a copy of ${mib(used)} MiB (${rooms}); ${unusable}`);
    return;
  }
  const start = Date.now();
  log.info(`storage: ${target}: converting to incremental vacuum (one VACUUM of ${mib(pages * pageSize)} MiB, once)`);
  try {
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
  } catch (err) {
    log.warn(`storage: ${target}: converting to incremental vacuum: VACUUM failed, ${unusable}: ${errorMessage(err)}`);
    return;
  } finally {
    truncateWal(db, target, log);
  }
  log.info(`storage: ${target}: converted to incremental vacuum in ${Date.now() - start} ms, now ${mib((db.pragma('page_count', { simple: true }) as number) * pageSize)} MiB`);
}

/** copies the WAL into the file and cuts it to 0 bytes (as far as another connection's reader lets it) */
function truncateWal(db: Database.Database, target: string, log: StorageLogger): void {
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (err) {
    log.warn(`storage: ${target}: truncating the WAL after the VACUUM: ${errorMessage(err)}`);
  }
}
