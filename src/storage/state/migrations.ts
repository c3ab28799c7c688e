/**
 * Versioned schema of the state database, run by ../sqlite/migrate.ts: each entry runs once,
 * in order, inside a transaction; `PRAGMA user_version` records how far a database has come.
 * Never edit a released migration: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: initial schema
  `
  CREATE TABLE devices (
    name TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE credentials (
    name TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    source TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'cleared')),
    message TEXT NOT NULL,
    device TEXT,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    count INTEGER NOT NULL DEFAULT 1,
    flapping INTEGER NOT NULL DEFAULT 0,
    ack_user TEXT,
    ack_time INTEGER,
    clear_user TEXT,
    clear_time INTEGER,
    labels TEXT NOT NULL DEFAULT '{}'
  );
  CREATE UNIQUE INDEX alerts_active_key ON alerts (key) WHERE state <> 'cleared';
  CREATE INDEX alerts_last_seen ON alerts (last_seen);
  CREATE INDEX alerts_device ON alerts (device, last_seen);
  CREATE TABLE traps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time INTEGER NOT NULL,
    source TEXT NOT NULL,
    device TEXT,
    version TEXT NOT NULL,
    security_name TEXT,
    trap_oid TEXT NOT NULL,
    trap_name TEXT,
    varbinds TEXT NOT NULL,
    severity TEXT
  );
  CREATE INDEX traps_time ON traps (time);
  CREATE INDEX traps_device ON traps (device, time);
  CREATE TABLE rules (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    doc TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE topology_nodes (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    sources TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
  );
  CREATE TABLE topology_links (
    id TEXT PRIMARY KEY,
    a_node TEXT NOT NULL,
    a_port TEXT,
    b_node TEXT NOT NULL,
    b_port TEXT,
    doc TEXT NOT NULL,
    sources TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
  );
  CREATE TABLE engine_ids (
    source TEXT PRIMARY KEY,
    engine_id TEXT NOT NULL,
    engine_boots INTEGER,
    engine_time INTEGER,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
  );
  `,
  // 2: look up a learned engine by its id (v3 trap receiver)
  `
  CREATE INDEX engine_ids_engine ON engine_ids (engine_id);
  `,
  // 3: alert suppression (maintenance windows, parent dependencies) and API-created maintenance windows
  `
  ALTER TABLE alerts ADD COLUMN suppressed TEXT;
  CREATE TABLE maintenance_windows (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    doc TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT
  );
  `,
  // 4: the trap log's row count kept by triggers (the row cap reads it instead of count(*) or a walk
  // of the log); engine rows pruned by last sighting
  `
  CREATE TABLE trap_count (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
  INSERT INTO trap_count (id, n) SELECT 1, count(*) FROM traps;
  CREATE TRIGGER traps_counted_insert AFTER INSERT ON traps BEGIN UPDATE trap_count SET n = n + 1 WHERE id = 1; END;
  CREATE TRIGGER traps_counted_delete AFTER DELETE ON traps BEGIN UPDATE trap_count SET n = n - 1 WHERE id = 1; END;
  CREATE INDEX engine_ids_last_seen ON engine_ids (last_seen);
  `,
];
