/**
 * The on-disk queue that holds gzip'd line-protocol batches while InfluxDB is down or slow.
 * One SQLite file (WAL, synchronous=FULL: every append and delete is fsync'd before it
 * returns), oldest batch first, bounded by `maxBytes` of compressed batches. When a new
 * batch does not fit, the OLDEST batches are dropped to make room (fresh data matters
 * more to a monitoring system) and the caller counts and logs the loss.
 */
import type Database from 'better-sqlite3';
import { NetpulseError, errorMessage } from '../../errors/index.ts';
import { openSqliteFile } from '../sqlite/open-file.ts';

export interface SpooledBatch {
  id: number;
  points: number;
  body: Buffer;
}

export class Spool {
  private readonly db: Database.Database;
  private readonly stmts: {
    insert: Database.Statement;
    oldest: Database.Statement;
    oldestMany: Database.Statement;
    remove: Database.Statement;
  };
  private totals = { batches: 0, points: 0, bytes: 0 };

  constructor(readonly file: string, readonly maxBytes: number) {
    const target = `spool ${file}`;
    this.db = openSqliteFile(file, { target });
    try {
      this.db.pragma('synchronous = FULL');
      this.db.exec(`CREATE TABLE IF NOT EXISTS batches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created INTEGER NOT NULL,
        points INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        body BLOB NOT NULL
      )`);
      this.stmts = {
        insert: this.db.prepare('INSERT INTO batches (id, created, points, bytes, body) VALUES (?, ?, ?, ?, ?)'),
        oldest: this.db.prepare('SELECT id, points, bytes, body FROM batches ORDER BY id LIMIT 1'),
        oldestMany: this.db.prepare('SELECT id, points, bytes, body FROM batches ORDER BY id LIMIT ?'),
        remove: this.db.prepare('DELETE FROM batches WHERE id = ? RETURNING points, bytes'),
      };
    } catch (err) {
      this.db.close();
      throw new NetpulseError({ scope: 'storage', target, action: 'open', reason: errorMessage(err), cause: err });
    }
    const t = this.db.prepare('SELECT count(*) AS batches, coalesce(sum(points), 0) AS points, coalesce(sum(bytes), 0) AS bytes FROM batches').get() as typeof this.totals;
    this.totals = { batches: t.batches, points: t.points, bytes: t.bytes };
  }

  get batches(): number {
    return this.totals.batches;
  }

  get points(): number {
    return this.totals.points;
  }

  get bytes(): number {
    return this.totals.bytes;
  }

  /**
   * Appends a batch; returns the number of points dropped to respect the bound (the oldest
   * ones, or this batch if it alone is larger than the bound). Throws on I/O errors (disk full).
   */
  /** the id after the highest one in the spool: batch sequence numbers continue from here */
  nextId(): number {
    const row = this.db.prepare('SELECT coalesce(max(id), 0) AS id FROM batches').get() as { id: number };
    return row.id + 1;
  }

  /**
   * `id` orders the batches: the writer numbers batches as it cuts them, so one that comes
   * back from a failed request after newer ones were spooled still replays in its place.
   */
  append(body: Buffer, points: number, id?: number): number {
    if (body.length > this.maxBytes) return points;
    let dropped = 0;
    this.db.transaction(() => {
      while (this.totals.bytes + body.length > this.maxBytes && this.totals.batches > 0) {
        const old = this.stmts.oldest.get() as { id: number } | undefined;
        if (!old) break;
        dropped += this.removeRow(old.id);
      }
      this.stmts.insert.run(id ?? null, Date.now(), points, body.length, body);
    })();
    this.totals.batches++;
    this.totals.points += points;
    this.totals.bytes += body.length;
    return dropped;
  }

  peek(): SpooledBatch | undefined {
    const row = this.stmts.oldest.get() as SpooledBatch | undefined;
    return row ? { id: row.id, points: row.points, body: row.body } : undefined;
  }

  /** the oldest batches, at least one, up to `maxBatches` and `maxBytes` together */
  peekMany(maxBatches: number, maxBytes: number): SpooledBatch[] {
    const out: SpooledBatch[] = [];
    let bytes = 0;
    for (const row of this.stmts.oldestMany.iterate(maxBatches) as Iterable<SpooledBatch & { bytes: number }>) {
      if (out.length > 0 && bytes + row.bytes > maxBytes) break;
      bytes += row.bytes;
      out.push({ id: row.id, points: row.points, body: row.body });
    }
    return out;
  }

  /** removes several batches in one transaction (one fsync); returns the points removed */
  removeMany(ids: number[]): number {
    let points = 0;
    this.db.transaction(() => {
      for (const id of ids) points += this.removeRow(id);
    })();
    return points;
  }

  /** returns the number of points removed */
  remove(id: number): number {
    return this.removeRow(id);
  }

  private removeRow(id: number): number {
    const row = this.stmts.remove.get(id) as { points: number; bytes: number } | undefined;
    if (!row) return 0;
    this.totals.batches--;
    this.totals.points -= row.points;
    this.totals.bytes -= row.bytes;
    return row.points;
  }

  close(): void {
    this.db.close();
  }
}
