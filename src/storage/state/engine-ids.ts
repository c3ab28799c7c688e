import type Database from 'better-sqlite3';

/** An SNMPv3 authoritative engine learned from a source (agent address or trap sender). */
export interface StoredEngineId {
  source: string;
  /** hex, no separators */
  engineId: string;
  engineBoots?: number;
  engineTime?: number;
  firstSeen: number;
  lastSeen: number;
}

/**
 * Our own engine (ID and boots, src/traps/state-adapters.ts): saved at start-up only, so its
 * last sighting says nothing; never pruned.
 */
export const LOCAL_ENGINE_SOURCE = 'local-engine';

type Row = { source: string; engine_id: string; engine_boots: number | null; engine_time: number | null; first_seen: number; last_seen: number };

function fromRow(r: Row): StoredEngineId {
  const e: StoredEngineId = { source: r.source, engineId: r.engine_id, firstSeen: r.first_seen, lastSeen: r.last_seen };
  if (r.engine_boots !== null) e.engineBoots = r.engine_boots;
  if (r.engine_time !== null) e.engineTime = r.engine_time;
  return e;
}

export class EngineIdsRepository {
  constructor(private readonly db: Database.Database) {}

  get(source: string): StoredEngineId | undefined {
    const row = this.db.prepare('SELECT * FROM engine_ids WHERE source = ?').get(source) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Records the engine of a source. A changed engine id resets firstSeen. */
  put(source: string, engineId: string, opts: { engineBoots?: number; engineTime?: number; now?: number } = {}): StoredEngineId {
    const now = opts.now ?? Date.now();
    const id = engineId.toLowerCase().replace(/^0x/, '').replace(/[^0-9a-f]/g, '');
    this.db.prepare(`INSERT INTO engine_ids (source, engine_id, engine_boots, engine_time, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (source) DO UPDATE SET
        first_seen = CASE WHEN engine_ids.engine_id = excluded.engine_id THEN engine_ids.first_seen ELSE excluded.first_seen END,
        engine_id = excluded.engine_id, engine_boots = excluded.engine_boots, engine_time = excluded.engine_time, last_seen = excluded.last_seen`)
      .run(source, id, opts.engineBoots ?? null, opts.engineTime ?? null, now, now);
    return this.get(source)!;
  }

  /** every source that reported this engine id (hex, any case, optional 0x) */
  findByEngineId(engineId: string): StoredEngineId[] {
    const id = engineId.toLowerCase().replace(/^0x/, '').replace(/[^0-9a-f]/g, '');
    return (this.db.prepare('SELECT * FROM engine_ids WHERE engine_id = ? ORDER BY source').all(id) as Row[]).map(fromRow);
  }

  list(): StoredEngineId[] {
    return (this.db.prepare('SELECT * FROM engine_ids ORDER BY source').all() as Row[]).map(fromRow);
  }

  /** true when a row other than our own engine was last seen before `before` (the last_seen index) */
  anyUnseenSince(before: number): boolean {
    return this.db.prepare('SELECT 1 FROM engine_ids WHERE last_seen < ? AND source <> ? LIMIT 1').get(before, LOCAL_ENGINE_SOURCE) !== undefined;
  }

  /** one bounded step of retention: deletes up to `limit` rows (never our own engine) last seen before `before`; returns how many */
  pruneUnseenBatch(before: number, limit: number): number {
    return this.db.prepare('DELETE FROM engine_ids WHERE source IN (SELECT source FROM engine_ids WHERE last_seen < ? AND source <> ? ORDER BY last_seen LIMIT ?)')
      .run(before, LOCAL_ENGINE_SOURCE, limit).changes;
  }

  remove(source: string): boolean {
    return this.db.prepare('DELETE FROM engine_ids WHERE source = ?').run(source).changes > 0;
  }
}
