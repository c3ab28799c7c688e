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

  /** `file` ':memory:' for tests */
  constructor(readonly file: string) {
    const target = `state ${file}`;
    this.db = openSqliteFile(file, { target, mode: 0o600 });
    try {
      this.db.pragma('foreign_keys = ON');
      migrate(this.db, target, MIGRATIONS);
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

  /** runs fn in one transaction (repositories' calls inside it commit together) */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
