import type Database from 'better-sqlite3';

/** A maintenance window created through the API, stored as the document src/alerts defines. */
export interface StoredMaintenanceWindow<T = unknown> {
  id: string;
  name: string;
  doc: T;
  createdAt: number;
  createdBy?: string;
}

interface Row { id: string; name: string; doc: string; created_at: number; created_by: string | null }

const fromRow = <T>(r: Row): StoredMaintenanceWindow<T> => {
  const w: StoredMaintenanceWindow<T> = { id: r.id, name: r.name, doc: JSON.parse(r.doc), createdAt: r.created_at };
  if (r.created_by !== null) w.createdBy = r.created_by;
  return w;
};

export class MaintenanceRepository {
  constructor(private readonly db: Database.Database) {}

  /** oldest first */
  list<T = unknown>(): StoredMaintenanceWindow<T>[] {
    return (this.db.prepare('SELECT * FROM maintenance_windows ORDER BY created_at, id').all() as Row[]).map((r) => fromRow<T>(r));
  }

  get<T = unknown>(id: string): StoredMaintenanceWindow<T> | undefined {
    const row = this.db.prepare('SELECT * FROM maintenance_windows WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow<T>(row) : undefined;
  }

  create<T>(w: StoredMaintenanceWindow<T>): StoredMaintenanceWindow<T> {
    this.db.prepare('INSERT INTO maintenance_windows (id, name, doc, created_at, created_by) VALUES (?, ?, ?, ?, ?)')
      .run(w.id, w.name, JSON.stringify(w.doc), w.createdAt, w.createdBy ?? null);
    return w;
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM maintenance_windows WHERE id = ?').run(id).changes > 0;
  }

  /** deletes windows whose document says they ended before `before` (one-off windows only); returns how many */
  pruneEnded(before: number): number {
    return this.db.prepare("DELETE FROM maintenance_windows WHERE json_extract(doc, '$.end') IS NOT NULL AND json_extract(doc, '$.end') < ?").run(before).changes;
  }
}
