import type Database from 'better-sqlite3';

export type StoredAlertState = 'open' | 'acknowledged' | 'cleared';

/** Same shape as src/alerts' Alert, so the alert manager can persist its alerts as they are. */
export interface StoredAlert {
  id: string;
  key: string;
  source: string;
  rule: string;
  device?: string;
  severity: string;
  message: string;
  state: StoredAlertState;
  firstSeen: number;
  lastSeen: number;
  count: number;
  flapping: boolean;
  acknowledgedBy?: string;
  acknowledgedAt?: number;
  clearedAt?: number;
  clearedBy?: string;
  labels: Record<string, string>;
  /** src/alerts' AlertSuppression, kept as JSON */
  suppressed?: { kind: 'maintenance' | 'parent'; reason: string; by: string; since: number; until?: number; holdUntil?: number };
}

export interface StoredAlertQuery {
  /** 'active' = open or acknowledged */
  state?: StoredAlertState | 'active';
  device?: string;
  severity?: string;
  /** true: only alerts suppressed now (suppression not ended); false: only the others */
  suppressed?: boolean;
  limit?: number;
}

interface AlertRow {
  id: string; key: string; source: string; rule: string; severity: string; state: StoredAlertState; message: string;
  device: string | null; first_seen: number; last_seen: number; count: number; flapping: number;
  ack_user: string | null; ack_time: number | null; clear_user: string | null; clear_time: number | null; labels: string;
  suppressed: string | null;
}

function fromRow(r: AlertRow): StoredAlert {
  const a: StoredAlert = {
    id: r.id, key: r.key, source: r.source, rule: r.rule, severity: r.severity, message: r.message, state: r.state,
    firstSeen: r.first_seen, lastSeen: r.last_seen, count: r.count, flapping: r.flapping === 1, labels: JSON.parse(r.labels),
  };
  if (r.device !== null) a.device = r.device;
  if (r.ack_user !== null) a.acknowledgedBy = r.ack_user;
  if (r.ack_time !== null) a.acknowledgedAt = r.ack_time;
  if (r.clear_user !== null) a.clearedBy = r.clear_user;
  if (r.clear_time !== null) a.clearedAt = r.clear_time;
  if (r.suppressed !== null) a.suppressed = JSON.parse(r.suppressed);
  return a;
}

function whereOf(q: StoredAlertQuery): { conds: string[]; args: unknown[] } {
  const conds: string[] = [];
  const args: unknown[] = [];
  if (q.state === 'active') conds.push("state <> 'cleared'");
  else if (q.state) { conds.push('state = ?'); args.push(q.state); }
  if (q.device) { conds.push('device = ?'); args.push(q.device); }
  if (q.severity) { conds.push('severity = ?'); args.push(q.severity); }
  if (q.suppressed !== undefined) conds.push(`${q.suppressed ? '' : 'NOT '}(suppressed IS NOT NULL AND json_extract(suppressed, '$.until') IS NULL)`);
  return { conds, args };
}

/**
 * Alerts. Synchronous like src/alerts' AlertStore (active/byId/save/list): the alert
 * manager keeps the logic (dedup, escalation, flapping), this keeps the rows. At most one
 * active (open or acknowledged) alert per key is enforced by a unique partial index.
 */
export class AlertsRepository {
  private readonly stmts: { active: Database.Statement; byId: Database.Statement; save: Database.Statement };
  private readonly saveAllTx: (alerts: readonly StoredAlert[]) => void;

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      active: db.prepare("SELECT * FROM alerts WHERE key = ? AND state <> 'cleared'"),
      byId: db.prepare('SELECT * FROM alerts WHERE id = ?'),
      save: db.prepare(`INSERT INTO alerts (id, key, source, rule, severity, state, message, device, first_seen, last_seen, count, flapping, ack_user, ack_time, clear_user, clear_time, labels, suppressed)
      VALUES (@id, @key, @source, @rule, @severity, @state, @message, @device, @firstSeen, @lastSeen, @count, @flapping, @ackUser, @ackTime, @clearUser, @clearTime, @labels, @suppressed)
      ON CONFLICT (id) DO UPDATE SET key = excluded.key, source = excluded.source, rule = excluded.rule, severity = excluded.severity,
        state = excluded.state, message = excluded.message, device = excluded.device, first_seen = excluded.first_seen,
        last_seen = excluded.last_seen, count = excluded.count, flapping = excluded.flapping, ack_user = excluded.ack_user,
        ack_time = excluded.ack_time, clear_user = excluded.clear_user, clear_time = excluded.clear_time, labels = excluded.labels,
        suppressed = excluded.suppressed`),
    };
    this.saveAllTx = db.transaction((alerts: readonly StoredAlert[]) => {
      for (const a of alerts) this.save(a);
    });
  }

  active(key: string): StoredAlert | undefined {
    const row = this.stmts.active.get(key) as AlertRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  byId(id: string): StoredAlert | undefined {
    const row = this.stmts.byId.get(id) as AlertRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** insert or replace by id */
  save(a: StoredAlert): void {
    this.stmts.save.run({
      id: a.id, key: a.key, source: a.source, rule: a.rule, severity: a.severity, state: a.state, message: a.message,
      device: a.device ?? null, firstSeen: a.firstSeen, lastSeen: a.lastSeen, count: a.count, flapping: a.flapping ? 1 : 0,
      ackUser: a.acknowledgedBy ?? null, ackTime: a.acknowledgedAt ?? null, clearUser: a.clearedBy ?? null,
      clearTime: a.clearedAt ?? null, labels: JSON.stringify(a.labels ?? {}),
      suppressed: a.suppressed ? JSON.stringify(a.suppressed) : null,
    });
  }

  /** saves every one in one transaction: all or none (a failure rolls the others back and throws) */
  saveAll(alerts: readonly StoredAlert[]): void {
    if (alerts.length > 0) this.saveAllTx(alerts);
  }

  /** newest (last seen) first */
  list(q: StoredAlertQuery = {}): StoredAlert[] {
    const { conds, args } = whereOf(q);
    let sql = 'SELECT * FROM alerts' + (conds.length ? ` WHERE ${conds.join(' AND ')}` : '') + ' ORDER BY last_seen DESC, id';
    if (q.limit !== undefined) { sql += ' LIMIT ?'; args.push(q.limit); }
    return (this.db.prepare(sql).all(...args) as AlertRow[]).map(fromRow);
  }

  /**
   * How many active alerts match `q`, by severity (severities without any left out);
   * no row is read into an alert. Counts only the active states: cleared alerts are the history
   * (kept for alerts.keepCleared, 90 days by default), so counting them would scan it.
   */
  countActiveBySeverity(q: Omit<StoredAlertQuery, 'state' | 'limit'> & { state: 'open' | 'acknowledged' | 'active' }): Record<string, number> {
    const { conds, args } = whereOf(q);
    // the term of alerts_active_key's WHERE: the count scans that partial index (active rows), not the table
    if (q.state !== 'active') conds.push("state <> 'cleared'");
    const rows = this.db.prepare(`SELECT severity, count(*) AS n FROM alerts WHERE ${conds.join(' AND ')} GROUP BY severity`).all(...args) as { severity: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.severity, r.n]));
  }

  /** deletes cleared alerts cleared before `before`; returns how many (all in one statement: see pruneClearedBatch) */
  pruneCleared(before: number): number {
    return this.db.prepare("DELETE FROM alerts WHERE state = 'cleared' AND coalesce(clear_time, last_seen) < ?").run(before).changes;
  }

  /**
   * One bounded step of pruneCleared: looks at the next `limit` rows after rowid `after` (rowid
   * order) and deletes those that are cleared before `before`, in one transaction. `last` is the
   * rowid to continue after (undefined: the table's end), so a batch reads at most `limit` rows
   * however many of them are kept, and a run reads each row once.
   */
  pruneClearedBatch(before: number, limit: number, after = 0): { removed: number; last: number | undefined } {
    return this.db.transaction(() => {
      const range = this.db.prepare('SELECT min(r) AS first, max(r) AS last, count(*) AS n FROM (SELECT rowid AS r FROM alerts WHERE rowid > ? ORDER BY rowid LIMIT ?)')
        .get(after, limit) as { first: number | null; last: number | null; n: number };
      if (range.n === 0) return { removed: 0, last: undefined };
      const removed = this.db.prepare("DELETE FROM alerts WHERE rowid BETWEEN ? AND ? AND state = 'cleared' AND coalesce(clear_time, last_seen) < ?")
        .run(range.first, range.last, before).changes;
      return { removed, last: range.n < limit ? undefined : range.last! };
    })();
  }
}
