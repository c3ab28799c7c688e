/**
 * State that is not a time series, in one SQLite file (`<dataDir>/state.db`, WAL,
 * created 0600 because it holds API-created credential profiles), with versioned
 * migrations. Repositories are synchronous (better-sqlite3).
 */
import type Database from 'better-sqlite3';
import { NetpulseError, errorMessage } from '../../errors/index.ts';
import { migrate } from '../sqlite/migrate.ts';
import { openSqliteFile } from '../sqlite/open-file.ts';
import { AlertsRepository } from './alerts.ts';
import { CredentialsRepository, DevicesRepository } from './devices.ts';
import { EngineIdsRepository } from './engine-ids.ts';
import { MaintenanceRepository } from './maintenance.ts';
import { MIGRATIONS } from './migrations.ts';
import { RulesRepository } from './rules.ts';
import { TopologyRepository } from './topology.ts';
import { TrapsRepository } from './traps.ts';
import { convertToIncrementalVacuum } from './incremental-vacuum.ts';
import { silentLogger, type StorageLogger } from '../types.ts';

export class StateStore {
  readonly devices: DevicesRepository;
  readonly credentials: CredentialsRepository;
  readonly alerts: AlertsRepository;
  readonly traps: TrapsRepository;
  readonly rules: RulesRepository;
  readonly topology: TopologyRepository;
  readonly engineIds: EngineIdsRepository;
  readonly maintenance: MaintenanceRepository;
  private readonly db: Database.Database;

  /** `file` ':memory:' for tests; `log` gets the one-off conversion to incremental vacuum */
  constructor(readonly file: string, opts: { log?: StorageLogger } = {}) {
    const target = `state ${file}`;
    this.db = openSqliteFile(file, { target, mode: 0o600, incrementalVacuum: true });
    try {
      this.db.pragma('foreign_keys = ON');
      migrate(this.db, target, MIGRATIONS);
      convertToIncrementalVacuum(this.db, file, target, opts.log ?? silentLogger);
    } catch (err) {
      this.db.close();
      if (err instanceof NetpulseError) throw err;
      throw new NetpulseError({ scope: 'storage', target, action: 'open', reason: errorMessage(err), cause: err });
    }
    this.devices = new DevicesRepository(this.db);
    this.credentials = new CredentialsRepository(this.db);
    this.alerts = new AlertsRepository(this.db);
    this.traps = new TrapsRepository(this.db);
    this.rules = new RulesRepository(this.db);
    this.topology = new TopologyRepository(this.db);
    this.engineIds = new EngineIdsRepository(this.db);
    this.maintenance = new MaintenanceRepository(this.db);
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** false once closed */
  get isOpen(): boolean {
    return this.db.open;
  }

  get pageSize(): number {
    return this.db.pragma('page_size', { simple: true }) as number;
  }

  /** pages inside the file that hold nothing (deleted rows), kept for new rows until vacuumed */
  freePages(): number {
    return this.db.pragma('freelist_count', { simple: true }) as number;
  }

  /**
   * One bounded step of vacuuming: returns up to `pages` free pages to the file system
   * (`PRAGMA incremental_vacuum`; the file shrinks at the next WAL checkpoint). Returns how many.
   */
  vacuumStep(pages: number): number {
    const before = this.freePages();
    this.db.exec(`PRAGMA incremental_vacuum(${Math.max(1, Math.floor(pages))})`);
    return before - this.freePages();
  }

  /** copies the WAL into the file as far as no reader needs it (a vacuumed file shrinks then) */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  /** runs fn in one transaction (repositories' calls inside it commit together) */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
