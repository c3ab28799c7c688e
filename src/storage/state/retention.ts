/**
 * Retention of the state database's history tables: cleared alerts and the trap log. Everything
 * else in state.db is bounded already (topology is replaced by each discovery, ended one-off
 * maintenance windows go after 7 days) or is what the user created (devices, rules, ...).
 *
 * Deletes run in batches of `batchSize` rows, each its own transaction, with a turn of the event
 * loop after each (../prune-batches.ts): a first prune of millions of rows holds the loop for one
 * batch at a time.
 */
import { errorMessage } from '../../errors/index.ts';
import { nextTurn, runPruneBatches } from '../prune-batches.ts';
import type { StateStore } from './store.ts';
import type { TrapPlace } from './traps.ts';

export interface StateRetentionPolicy {
  /** cleared alerts whose clear time is older are deleted; false: kept forever */
  alertsKeepClearedMs: number | false;
  /** traps received longer ago are deleted; false: no age limit */
  trapsKeepMs: number | false;
  /** at most this many traps are kept, the oldest go first; false: no row limit */
  trapsMaxRows: number | false;
}

/** the nightly job (after availability-days at 00:20 UTC) */
export const STATE_RETENTION_JOB = { name: 'state-retention', expression: '40 0 * * *', timezone: 'UTC' } as const;
/** rows per batch: a few milliseconds of deletes */
export const PRUNE_BATCH_ROWS = 1000;

export interface StatePruneOptions {
  now: number;
  batchSize?: number;
  /** awaited after each batch; default a turn of the event loop (setImmediate) */
  pause?: () => Promise<void>;
  /** ends the run before the next batch */
  signal?: AbortSignal;
}

export interface StatePruneResult {
  alerts: number;
  /** by age and by the row cap together */
  traps: number;
  batches: number;
  /** ended early by the signal or the store closing */
  stopped: boolean;
}

/** Prunes what `policy` says, batch by batch; throws (naming the table) when a delete fails. */
export async function pruneState(state: StateStore, policy: StateRetentionPolicy, opts: StatePruneOptions): Promise<StatePruneResult> {
  const limit = opts.batchSize ?? PRUNE_BATCH_ROWS;
  const pause = opts.pause ?? nextTurn;
  const result: StatePruneResult = { alerts: 0, traps: 0, batches: 0, stopped: false };
  /** true (and the result says so) once the signal fired or the store closed */
  const stopped = (): boolean => (result.stopped ||= opts.signal?.aborted === true || !state.isOpen);
  const attempt = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw new Error(`storage: state ${state.file}: retention: pruning ${what}: ${errorMessage(err)}`, { cause: err });
    }
  };
  /** runs `step` until it says it is done; false when stopped */
  const batches = (what: string, step: () => boolean): Promise<boolean> =>
    runPruneBatches(() => attempt(what, step), { pause, stopped, onBatch: () => { result.batches++; } });

  if (policy.alertsKeepClearedMs !== false) {
    const before = opts.now - policy.alertsKeepClearedMs;
    let after = 0;
    const ok = await batches('cleared alerts', () => {
      const b = state.alerts.pruneClearedBatch(before, limit, after);
      result.alerts += b.removed;
      if (b.last === undefined) return true;
      after = b.last;
      return false;
    });
    if (!ok) return result;
  }
  if (policy.trapsKeepMs !== false) {
    const before = opts.now - policy.trapsKeepMs;
    const ok = await batches('the trap log by age', () => {
      const n = state.traps.pruneBatch(before, limit);
      result.traps += n;
      return n < limit;
    });
    if (!ok) return result;
  }
  if (policy.trapsMaxRows !== false) {
    // the store may have closed during the last pause
    if (stopped()) return result;
    const what = 'the trap log by row count';
    const max = Math.max(0, policy.trapsMaxRows);
    // no count(*) (a scan of the whole log): the id range bounds it, else a walk finds the oldest kept trap
    if (attempt(what, () => state.traps.idSpan()) > max) {
      /** traps still to walk past, from the newest; then `kept` is the oldest trap kept */
      let toWalk = max;
      let kept: TrapPlace | undefined;
      // each batch walks at most `limit` index entries and deletes at most `limit` traps
      await batches(what, () => {
        if (toWalk > 0) {
          const n = Math.min(limit, toWalk);
          kept = state.traps.olderBy(n, kept);
          if (kept === undefined) return true; // not more than max traps
          toWalk -= n;
          if (toWalk > 0) return false;
        }
        const n = kept === undefined ? state.traps.pruneOldest(limit) : state.traps.pruneOlderThan(kept, limit);
        result.traps += n;
        return n < limit;
      });
    }
  }
  return result;
}

export interface StateRetentionTotals {
  /** rows deleted since start-up */
  alerts: number;
  traps: number;
}

/**
 * The runtime's retention job: each run prunes and logs one line of what it removed; `totals`
 * sums the runs (for /metrics).
 */
export class StateRetention {
  readonly totals: StateRetentionTotals = { alerts: 0, traps: 0 };

  constructor(
    private readonly state: StateStore,
    readonly policy: StateRetentionPolicy,
    private readonly opts: { now: () => number; log: (line: string) => void; signal?: AbortSignal; batchSize?: number; pause?: () => Promise<void> },
  ) {}

  async run(): Promise<StatePruneResult> {
    const r = await pruneState(this.state, this.policy, { now: this.opts.now(), signal: this.opts.signal, batchSize: this.opts.batchSize, pause: this.opts.pause });
    this.totals.alerts += r.alerts;
    this.totals.traps += r.traps;
    const p = this.policy;
    const age = (ms: number | false, none: string) => (ms === false ? none : `older than ${+(ms / 86_400_000).toFixed(2)}d`);
    this.opts.log(`storage: state retention: removed ${r.alerts} cleared alerts (${age(p.alertsKeepClearedMs, 'kept forever')}) and ${r.traps} traps ` +
      `(${age(p.trapsKeepMs, 'no age limit')}${p.trapsMaxRows === false ? '' : `, beyond ${p.trapsMaxRows} rows`}) in ${r.batches} batches${r.stopped ? '; stopped early (netpulse stopping)' : ''}`);
    return r;
  }
}
