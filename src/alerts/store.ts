import { isSuppressedNow, type Alert, type AlertState } from './types.ts';

export interface AlertQuery {
  state?: AlertState | 'active';
  device?: string;
  /** true: only alerts held back now (maintenance, parent); false: only the others */
  suppressed?: boolean;
  limit?: number;
}

/**
 * Where alerts live. Synchronous on purpose: the embedded store (better-sqlite3) is
 * synchronous and the in-memory one is too; an adapter for src/storage plugs in here.
 */
export interface AlertStore {
  /** the active (open or acknowledged) alert with this dedup key */
  active(key: string): Alert | undefined;
  byId(id: string): Alert | undefined;
  save(alert: Alert): void;
  /**
   * Saves every one of `alerts` or none (one transaction): when it throws, none is saved. Optional:
   * without it the manager saves a batch's alerts one by one (a failure then concerns that alert only).
   */
  saveAll?(alerts: readonly Alert[]): void;
  list(query?: AlertQuery): Alert[];
}

/** Bounded in-memory store: keeps every active alert and the newest `maxCleared` cleared ones. */
export class MemoryAlertStore implements AlertStore {
  private readonly byKey = new Map<string, Alert>();
  private readonly ids = new Map<string, Alert>();
  private readonly cleared: Alert[] = [];

  constructor(private readonly maxCleared = 10_000) {}

  active(key: string): Alert | undefined {
    return this.byKey.get(key);
  }

  byId(id: string): Alert | undefined {
    return this.ids.get(id);
  }

  save(alert: Alert): void {
    this.ids.set(alert.id, alert);
    if (alert.state === 'cleared') {
      if (this.byKey.get(alert.key)?.id === alert.id) this.byKey.delete(alert.key);
      if (!this.cleared.includes(alert)) this.cleared.push(alert);
      while (this.cleared.length > this.maxCleared) this.ids.delete(this.cleared.shift()!.id);
    } else {
      this.byKey.set(alert.key, alert);
    }
  }

  saveAll(alerts: readonly Alert[]): void {
    for (const a of alerts) this.save(a);
  }

  list(query: AlertQuery = {}): Alert[] {
    let out = [...this.ids.values()];
    if (query.state === 'active') out = out.filter((a) => a.state !== 'cleared');
    else if (query.state) out = out.filter((a) => a.state === query.state);
    if (query.device) out = out.filter((a) => a.device === query.device);
    if (query.suppressed !== undefined) out = out.filter((a) => isSuppressedNow(a) === query.suppressed);
    out.sort((a, b) => b.lastSeen - a.lastSeen);
    return query.limit ? out.slice(0, query.limit) : out;
  }
}
