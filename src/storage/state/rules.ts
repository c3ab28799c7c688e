import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';

/** A rule edited through the API, stored as the JSON document the owner (alerts/traps) defines. */
export interface StoredRule<T = unknown> {
  id: string;
  /** e.g. 'alert', 'trap' */
  kind: string;
  doc: T;
  createdAt: number;
  updatedAt: number;
}

interface RuleRow { id: string; kind: string; doc: string; created_at: number; updated_at: number }

const fromRow = <T>(r: RuleRow): StoredRule<T> => ({ id: r.id, kind: r.kind, doc: JSON.parse(r.doc), createdAt: r.created_at, updatedAt: r.updated_at });

export class RulesRepository {
  constructor(private readonly db: Database.Database) {}

  list<T = unknown>(kind?: string): StoredRule<T>[] {
    const rows = (kind === undefined
      ? this.db.prepare('SELECT * FROM rules ORDER BY created_at, id').all()
      : this.db.prepare('SELECT * FROM rules WHERE kind = ? ORDER BY created_at, id').all(kind)) as RuleRow[];
    return rows.map((r) => fromRow<T>(r));
  }

  get<T = unknown>(id: string): StoredRule<T> | undefined {
    const row = this.db.prepare('SELECT * FROM rules WHERE id = ?').get(id) as RuleRow | undefined;
    return row ? fromRow<T>(row) : undefined;
  }

  /** new rule with a generated id (or the given one) */
  create<T>(kind: string, doc: T, id: string = randomUUID(), now = Date.now()): StoredRule<T> {
    this.db.prepare('INSERT INTO rules (id, kind, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(id, kind, JSON.stringify(doc), now, now);
    return { id, kind, doc, createdAt: now, updatedAt: now };
  }

  /** create or replace */
  put<T>(id: string, kind: string, doc: T, now = Date.now()): StoredRule<T> {
    this.db.prepare(`INSERT INTO rules (id, kind, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, doc = excluded.doc, updated_at = excluded.updated_at`).run(id, kind, JSON.stringify(doc), now, now);
    return this.get<T>(id)!;
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM rules WHERE id = ?').run(id).changes > 0;
  }
}
