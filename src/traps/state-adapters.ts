/**
 * Adapters from src/storage's StateStore repositories to the small interfaces the alert
 * manager and the receiver use. They live here because traps sits above both alerts and
 * storage in the layering (alerts may not import storage).
 */
import type { ZodType } from 'zod';
import type { Alert } from '../alerts/types.ts';
import type { AlertQuery, AlertStore } from '../alerts/store.ts';
import { formatIssues, ThresholdRuleSchema, TrapRuleSchema, type ThresholdRule, type TrapRule } from '../alerts/rule-schema.ts';
import { errorMessage } from '../errors/index.ts';
import { formatDuration, MAX_TIMER_MS, parseDuration } from '../model/duration.ts';
import type { StateStore } from '../storage/state/store.ts';
import { LOCAL_ENGINE_SOURCE } from '../storage/state/engine-ids.ts';
import { hostPort } from './config.ts';
import type { EngineIdStore, LearnedEngine } from './engine.ts';
import type { TrapLog, TrapRecord } from './trap-log.ts';

/** AlertsRepository stores exactly the Alert shape (severity/source as plain strings). */
export function alertStoreFrom(state: StateStore): AlertStore {
  const repo = state.alerts;
  return {
    active: (key) => repo.active(key) as Alert | undefined,
    byId: (id) => repo.byId(id) as Alert | undefined,
    save: (a) => repo.save(a),
    saveAll: (as) => repo.saveAll(as),
    list: (q?: AlertQuery) => repo.list(q) as Alert[],
  };
}

const senderSource = (address: string) => `trap-sender:${address}`;

/** learned sender engines are kept per sender address; our own engine under `local-engine` */
export function engineIdStoreFrom(state: StateStore): EngineIdStore {
  const repo = state.engineIds;
  const users = new Map<string, string>();
  const known = new Map<string, LearnedEngine>();
  const toLearned = (e: { source: string; engineId: string; firstSeen: number; lastSeen: number }): LearnedEngine => ({
    engineId: e.engineId, address: e.source.slice('trap-sender:'.length), user: users.get(e.engineId) ?? '', firstSeen: e.firstSeen, lastSeen: e.lastSeen,
  });
  const senders = () => repo.list().filter((e) => e.source.startsWith('trap-sender:'));
  return {
    // asked on every authentic v3 trap from a learned engine: one indexed lookup per engine, then memory
    get: (engineId) => {
      let e = known.get(engineId);
      if (!e) {
        const row = repo.findByEngineId(engineId).find((s) => s.source.startsWith('trap-sender:'));
        if (row) known.set(engineId, (e = toLearned(row)));
      }
      return e;
    },
    learn: (e) => {
      users.set(e.engineId, e.user);
      known.set(e.engineId, e);
      repo.put(senderSource(e.address), e.engineId, { now: e.lastSeen });
    },
    list: () => senders().map(toLearned),
    loadLocal: () => {
      const e = repo.get(LOCAL_ENGINE_SOURCE);
      return e ? { engineId: e.engineId, boots: e.engineBoots ?? 0 } : undefined;
    },
    saveLocal: (v) => {
      repo.put(LOCAL_ENGINE_SOURCE, v.engineId, { engineBoots: v.boots });
    },
  };
}

/**
 * The trap log on SQLite, written in batches (one transaction per `flushMs` or `maxBatch`):
 * append() resolves once the batch holding the record has committed, so an inform is acked
 * only after its trap is on disk.
 */
export class BatchedTrapLog implements TrapLog {
  private batch: { record: TrapRecord; done: () => void; fail: (e: Error) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly state: StateStore, private readonly opts: { flushMs?: number; maxBatch?: number } = {}) {}

  append(record: TrapRecord): Promise<void> {
    return new Promise((done, fail) => {
      this.batch.push({ record, done, fail });
      if (this.batch.length >= (this.opts.maxBatch ?? 500)) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.opts.flushMs ?? 20);
    });
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.batch;
    this.batch = [];
    if (!items.length) return;
    try {
      this.state.transaction(() => {
        for (const { record: r } of items) {
          this.state.traps.add({
            time: r.receivedAt,
            source: hostPort(r.source.address, r.source.port),
            device: r.device,
            version: r.version,
            securityName: r.user ?? r.community,
            trapOid: r.trapOid,
            trapName: r.trapName,
            severity: r.severity,
            varbinds: r.varbinds.map((v) => ({ oid: v.oid, name: v.name, type: v.type, value: v.display ?? (v.value === null ? '' : String(v.value)) })),
          });
        }
      });
    } catch (err) {
      const e = new Error(`storage: trap log: ${errorMessage(err)}`);
      for (const i of items) i.fail(e);
      return;
    }
    for (const i of items) i.done();
  }
}

/** a rule's duration fields, as [parent, field] */
type DurationPaths = readonly (readonly [string, string])[];
/** TrapRuleSchema's durations (flap and rate-limit windows): at most MAX_TIMER_MS since the version that set that limit */
const TRAP_RULE_DURATIONS: DurationPaths = [['flap', 'window'], ['rateLimit', 'per']];
const TIMER_LIMIT = formatDuration(MAX_TIMER_MS);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `doc` with each of its `durations` over MAX_TIMER_MS set to that limit, and their paths (none: `clamped` empty) */
function durationsClamped(doc: Record<string, unknown>, durations: DurationPaths): { doc: Record<string, unknown>; clamped: string[] } {
  const out = { ...doc };
  const clamped: string[] = [];
  for (const [parent, field] of durations) {
    const holder = out[parent];
    const v = isRecord(holder) ? holder[field] : undefined;
    const ms = typeof v === 'string' || typeof v === 'number' ? parseDuration(v) : undefined;
    if (ms === undefined || !(ms > MAX_TIMER_MS)) continue;
    out[parent] = { ...(holder as Record<string, unknown>), [field]: TIMER_LIMIT };
    clamped.push(`${parent}.${field}`);
  }
  return { doc: out, clamped };
}

/**
 * API-edited rules kept in the state store (kind `trap` / `threshold`), validated on the way
 * out: a bad stored rule is reported, not loaded, except one whose only fault is a duration
 * over MAX_TIMER_MS (stored before that limit came): it loads with the duration clamped to the
 * limit, reported. The store keeps the rule as it was. Config rules come first, then these,
 * then the shipped defaults. (Threshold rules have no duration fields.)
 */
export function storedRules(state: StateStore): { trap: TrapRule[]; threshold: ThresholdRule[]; problems: string[] } {
  const problems: string[] = [];
  const load = <T>(kind: string, schema: ZodType<T>, durations: DurationPaths): T[] =>
    state.rules.list(kind).flatMap((r) => {
      const doc = { ...(r.doc as object), id: r.id };
      const p = schema.safeParse(doc);
      if (p.success) return [p.data];
      const fix = durationsClamped(doc, durations);
      const fixed = fix.clamped.length ? schema.safeParse(fix.doc) : undefined;
      if (fixed?.success) {
        problems.push(...fix.clamped.map((path) => `rules[${r.id}].${path}: longer than ${TIMER_LIMIT} (the longest a timer waits): loaded as ${TIMER_LIMIT}`));
        return [fixed.data];
      }
      problems.push(...formatIssues(`rules[${r.id}]`, p.error));
      return [];
    });
  return { trap: load('trap', TrapRuleSchema, TRAP_RULE_DURATIONS), threshold: load('threshold', ThresholdRuleSchema, []), problems };
}
