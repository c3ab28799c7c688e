/** A state.db as netpulse wrote it before incremental vacuum (auto_vacuum NONE, schema 3), for the conversion tests. */
import Database from 'better-sqlite3';
import { migrate } from '../../src/storage/sqlite/migrate.ts';
import { MIGRATIONS } from '../../src/storage/state/migrations.ts';

/** about `mib` MiB of traps (a 4 KiB page each, 256 a MiB), or that many `traps` */
export function oldStateDb(file: string, size: { mib: number } | { traps: number }): void {
  const traps = 'mib' in size ? size.mib * 256 : size.traps;
  const old = new Database(file);
  // a rollback journal while filling it (a WAL would need the room twice), WAL as netpulse left it
  migrate(old, 'old', MIGRATIONS.slice(0, 3));
  const insert = old.prepare("INSERT INTO traps (time, source, version, trap_oid, varbinds) VALUES (?, '127.0.0.1:1', 'v2c', '1.3.6.1.6.3.1.1.5.3', ?)");
  const varbinds = JSON.stringify([{ oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString', value: 'x'.repeat(2000) }]);
  old.transaction(() => { for (let i = 0; i < traps; i++) insert.run(i, varbinds); })();
  old.pragma('journal_mode = WAL');
  old.close();
}
