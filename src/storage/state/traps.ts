import type Database from 'better-sqlite3';

export interface StoredVarbind {
  oid: string;
  name?: string;
  type: string;
  value: string;
}

/**
 * One received trap. `securityName` is the v3 user name, or for v1/v2c the community's
 * configured label (traps.communities[].name): never the community string or a key.
 */
export interface StoredTrap {
  id: string;
  time: number;
  /** sender address:port */
  source: string;
  device?: string;
  version: string;
  securityName?: string;
  trapOid: string;
  trapName?: string;
  severity?: string;
  varbinds: StoredVarbind[];
}

export interface StoredTrapFilter {
  device?: string;
  /** numeric trap OID or name, prefix match */
  oid?: string;
  from?: number;
  to?: number;
  limit?: number;
}

interface TrapRow {
  id: number; time: number; source: string; device: string | null; version: string; security_name: string | null;
  trap_oid: string; trap_name: string | null; varbinds: string; severity: string | null;
}

function fromRow(r: TrapRow): StoredTrap {
  const t: StoredTrap = { id: String(r.id), time: r.time, source: r.source, version: r.version, trapOid: r.trap_oid, varbinds: JSON.parse(r.varbinds) };
  if (r.device !== null) t.device = r.device;
  if (r.security_name !== null) t.securityName = r.security_name;
  if (r.trap_name !== null) t.trapName = r.trap_name;
  if (r.severity !== null) t.severity = r.severity;
  return t;
}

const likePrefix = (s: string): string => s.replace(/[\\%_]/g, '\\$&') + '%';

/** The trap log. */
export class TrapsRepository {
  private readonly insert: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(`INSERT INTO traps (time, source, device, version, security_name, trap_oid, trap_name, varbinds, severity)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /** returns the stored trap with its id */
  add(trap: Omit<StoredTrap, 'id'>): StoredTrap {
    const r = this.insert.run(
      trap.time, trap.source, trap.device ?? null, trap.version, trap.securityName ?? null, trap.trapOid,
      trap.trapName ?? null, JSON.stringify(trap.varbinds ?? []), trap.severity ?? null,
    );
    return { ...trap, id: String(r.lastInsertRowid) };
  }

  /** newest first; default limit 100 */
  list(f: StoredTrapFilter = {}): StoredTrap[] {
    const conds: string[] = [];
    const args: unknown[] = [];
    if (f.device) { conds.push('device = ?'); args.push(f.device); }
    if (f.oid) {
      const oid = f.oid.replace(/^\./, '');
      conds.push("(trap_oid LIKE ? ESCAPE '\\' OR trap_name LIKE ? ESCAPE '\\')");
      args.push(likePrefix(oid), likePrefix(oid));
    }
    if (f.from !== undefined) { conds.push('time >= ?'); args.push(f.from); }
    if (f.to !== undefined) { conds.push('time <= ?'); args.push(f.to); }
    const sql = 'SELECT * FROM traps' + (conds.length ? ` WHERE ${conds.join(' AND ')}` : '') + ' ORDER BY time DESC, id DESC LIMIT ?';
    args.push(f.limit ?? 100);
    return (this.db.prepare(sql).all(...args) as TrapRow[]).map(fromRow);
  }

  /** deletes traps older than `before`; returns how many */
  prune(before: number): number {
    return this.db.prepare('DELETE FROM traps WHERE time < ?').run(before).changes;
  }

  /** one bounded step of prune: deletes the oldest `limit` traps older than `before` (the time index), returns how many */
  pruneBatch(before: number, limit: number): number {
    return this.db.prepare('DELETE FROM traps WHERE id IN (SELECT id FROM traps WHERE time < ? ORDER BY time, id LIMIT ?)').run(before, limit).changes;
  }

  /** deletes the oldest `n` traps (by time, then id: the time index), for a cap on the row count; returns how many */
  pruneOldest(n: number): number {
    return this.db.prepare('DELETE FROM traps WHERE id IN (SELECT id FROM traps ORDER BY time, id LIMIT ?)').run(n).changes;
  }

  /**
   * How many traps the log holds, from the one-row counter triggers keep (migration 4): one
   * primary-key read, where count() visits every row.
   */
  rowCount(): number {
    return this.db.prepare('SELECT n FROM trap_count WHERE id = 1').pluck().get() as number;
  }

  /** counts the rows (visits them all); rowCount() reads the kept count */
  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM traps').get() as { n: number }).n;
  }
}
