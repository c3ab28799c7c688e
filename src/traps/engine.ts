import { randomBytes } from 'node:crypto';

/** A sender engine ID first seen on an authentic v3 trap. */
export interface LearnedEngine {
  engineId: string;
  address: string;
  user: string;
  firstSeen: number;
  lastSeen: number;
}

/** A sender engine ID an authentic trap used that its user does not list (`Accepted.learn`). */
export interface EngineSighting { engineId: string; address: string; user: string }

/**
 * Records a sighting, on the main thread once the trap passed its time window (a refused replay
 * records nothing). lastSeen is refreshed at most once a minute: this runs per trap.
 */
export function learnEngine(store: EngineIdStore, { engineId, address, user }: EngineSighting, now: number): void {
  const known = store.get(engineId);
  if (known && now - known.lastSeen < 60_000) return;
  store.learn({ engineId, address, user, firstSeen: known?.firstSeen ?? now, lastSeen: now });
}

/** Learned sender engine IDs and our own engine (ID, boots). src/storage adapts to this. */
export interface EngineIdStore {
  get(engineId: string): LearnedEngine | undefined;
  learn(e: LearnedEngine): void;
  list(): LearnedEngine[];
  loadLocal(): { engineId: string; boots: number } | undefined;
  saveLocal(v: { engineId: string; boots: number }): void;
}

export class MemoryEngineIdStore implements EngineIdStore {
  private readonly engines = new Map<string, LearnedEngine>();
  private local: { engineId: string; boots: number } | undefined;

  constructor(private readonly max = 10_000) {}

  get(engineId: string): LearnedEngine | undefined {
    return this.engines.get(engineId);
  }
  learn(e: LearnedEngine): void {
    if (!this.engines.has(e.engineId) && this.engines.size >= this.max) this.engines.delete(this.engines.keys().next().value!);
    this.engines.set(e.engineId, e);
  }
  list(): LearnedEngine[] {
    return [...this.engines.values()];
  }
  loadLocal() {
    return this.local;
  }
  saveLocal(v: { engineId: string; boots: number }): void {
    this.local = v;
  }
}

/** Our SNMP engine: authoritative for informs we receive. */
export class LocalEngine {
  constructor(readonly engineId: Buffer, readonly engineBoots: number, readonly startedAt = Date.now()) {}

  /** loads our engine from the store (or `configured`), counting a boot (RFC 3414 §2.2.2) */
  static open(store: EngineIdStore, configured?: string): LocalEngine {
    const saved = store.loadLocal();
    const id = configured?.toLowerCase() ?? saved?.engineId ?? generateEngineId();
    const boots = saved && saved.engineId === id ? Math.min(saved.boots + 1, 2147483646) : 1;
    store.saveLocal({ engineId: id, boots });
    return new LocalEngine(Buffer.from(id, 'hex'), boots);
  }

  get engineTime(): number {
    return Math.floor((Date.now() - this.startedAt) / 1000);
  }

  snapshot(): { engineId: Buffer; engineBoots: number; engineTime: number } {
    return { engineId: this.engineId, engineBoots: this.engineBoots, engineTime: this.engineTime };
  }
}

/** RFC 3411 format 5 (octets) under the "reserved" enterprise 0: 80 00 00 00 05 + 12 random bytes */
export function generateEngineId(): string {
  return '8000000005' + randomBytes(12).toString('hex');
}
