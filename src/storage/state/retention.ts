/**
 * Retention of the state database's history tables: cleared alerts, the trap log and the SNMPv3
 * engines of trap senders. Everything else in state.db is bounded already (topology is replaced by
 * each discovery, ended one-off maintenance windows go after 7 days) or is what the user created
 * (devices, rules, ...). Then the pages the deletes freed go back to the file system.
 *
 * Deletes run in batches of `batchSize` rows, each its own transaction, with a turn of the event
 * loop after each (../prune-batches.ts): a first prune of millions of rows holds the loop for one
 * batch at a time. Vacuuming goes the same way, `vacuumPages` pages a step.
 */
import { errorMessage } from '../../errors/index.ts';
import { nextTurn, runPruneBatches } from '../prune-batches.ts';
import type { StateStore } from './store.ts';

export interface StateRetentionPolicy {
  /** cleared alerts whose clear time is older are deleted; false: kept forever */
  alertsKeepClearedMs: number | false;
  /** traps received longer ago are deleted; false: no age limit */
  trapsKeepMs: number | false;
  /** at most this many traps are kept, the oldest go first; false: no row limit */
  trapsMaxRows: number | false;
  /** SNMPv3 engines (engine_ids) not seen for longer are deleted (never our own); false or absent: kept forever */
  engineIdsKeepMs?: number | false;
}

/** the nightly job (after availability-days at 00:20 UTC) */
export const STATE_RETENTION_JOB = { name: 'state-retention', expression: '40 0 * * *', timezone: 'UTC' } as const;
/** rows per batch: a few milliseconds of deletes */
export const PRUNE_BATCH_ROWS = 1000;
/** free pages returned to the file system per vacuum step: 2 MiB of 4 KiB pages, a few milliseconds */
export const VACUUM_STEP_PAGES = 512;

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
  /** SNMPv3 engine rows */
  engineIds: number;
  batches: number;
  /** ended early by the signal or the store closing */
  stopped: boolean;
}

/** Prunes what `policy` says, batch by batch; throws (naming the table) when a delete fails. */
export async function pruneState(state: StateStore, policy: StateRetentionPolicy, opts: StatePruneOptions): Promise<StatePruneResult> {
  const limit = opts.batchSize ?? PRUNE_BATCH_ROWS;
  const pause = opts.pause ?? nextTurn;
  const result: StatePruneResult = { alerts: 0, traps: 0, engineIds: 0, batches: 0, stopped: false };
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
    // the kept row count says how many of the oldest go: no count(*), no walk over the kept traps
    const over = () => state.traps.rowCount() - max;
    if (attempt(what, over) > 0) {
      const ok = await batches(what, () => {
        const excess = over();
        const removed = excess > 0 ? state.traps.pruneOldest(Math.min(limit, excess)) : 0;
        result.traps += removed;
        return removed < limit || removed >= excess;
      });
      if (!ok) return result;
    }
  }
  if (policy.engineIdsKeepMs !== undefined && policy.engineIdsKeepMs !== false) {
    if (stopped()) return result;
    const what = 'SNMPv3 engine IDs';
    const before = opts.now - policy.engineIdsKeepMs;
    if (attempt(what, () => state.engineIds.anyUnseenSince(before))) {
      await batches(what, () => {
        const n = state.engineIds.pruneUnseenBatch(before, limit);
        result.engineIds += n;
        return n < limit;
      });
    }
  }
  return result;
}

export interface StateVacuumOptions {
  /** free pages per step; default VACUUM_STEP_PAGES */
  pages?: number;
  /** awaited after each step; default a turn of the event loop */
  pause?: () => Promise<void>;
  /** ends the run before the next step */
  signal?: AbortSignal;
}

export interface StateVacuumResult {
  /** free pages returned to the file system */
  pages: number;
  steps: number;
  stopped: boolean;
}

/**
 * Returns state.db's free pages (what deletes left) to the file system, `pages` a step
 * (`PRAGMA incremental_vacuum`), with a pause after each; throws naming the file when a step fails.
 */
export async function vacuumState(state: StateStore, opts: StateVacuumOptions = {}): Promise<StateVacuumResult> {
  const pages = opts.pages ?? VACUUM_STEP_PAGES;
  const result: StateVacuumResult = { pages: 0, steps: 0, stopped: false };
  const stopped = (): boolean => (result.stopped ||= opts.signal?.aborted === true || !state.isOpen);
  const attempt = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw new Error(`storage: state ${state.file}: vacuum: ${errorMessage(err)}`, { cause: err });
    }
  };
  if (stopped() || attempt(() => state.freePages()) === 0) return result;
  await runPruneBatches(() => attempt(() => {
    const freed = state.vacuumStep(pages);
    result.pages += freed;
    // fewer than asked: none left (or the file is not in incremental mode)
    return freed < pages || state.freePages() === 0;
  }), { pause: opts.pause ?? nextTurn, stopped, onBatch: () => { result.steps++; } });
  if (result.pages > 0 && state.isOpen) attempt(() => state.checkpoint());
  return result;
}

export interface StateRetentionTotals {
  /** rows deleted since start-up */
  alerts: number;
  traps: number;
  engineIds: number;
}

/**
 * The runtime's retention job: each run prunes and logs one line of what it removed; `totals`
 * sums the runs (for /metrics).
 */
export class StateRetention {
  readonly totals: StateRetentionTotals = { alerts: 0, traps: 0, engineIds: 0 };

  constructor(
    private readonly state: StateStore,
    readonly policy: StateRetentionPolicy,
    private readonly opts: { now: () => number; log: (line: string) => void; signal?: AbortSignal; batchSize?: number; vacuumPages?: number; pause?: () => Promise<void> },
  ) {}

  /** prunes, logs a line, then vacuums (a second line when pages went back to the file system) */
  async run(): Promise<StatePruneResult> {
    const { signal, pause } = this.opts;
    const r = await pruneState(this.state, this.policy, { now: this.opts.now(), signal, batchSize: this.opts.batchSize, pause });
    this.totals.alerts += r.alerts;
    this.totals.traps += r.traps;
    this.totals.engineIds += r.engineIds;
    const p = this.policy;
    const days = (ms: number) => `${+(ms / 86_400_000).toFixed(2)}d`;
    const age = (ms: number | false, none: string) => (ms === false ? none : `older than ${days(ms)}`);
    const engines = r.engineIds > 0 && p.engineIdsKeepMs ? `, ${r.engineIds} SNMPv3 engine IDs (not seen for ${days(p.engineIdsKeepMs)})` : '';
    this.opts.log(`storage: state retention: removed ${r.alerts} cleared alerts (${age(p.alertsKeepClearedMs, 'kept forever')}) and ${r.traps} traps ` +
      `(${age(p.trapsKeepMs, 'no age limit')}${p.trapsMaxRows === false ? '' : `, beyond ${p.trapsMaxRows} rows`})${engines} in ${r.batches} batches${r.stopped ? '; stopped early (netpulse stopping)' : ''}`);
    if (r.stopped) return r;
    const v = await vacuumState(this.state, { pages: this.opts.vacuumPages, pause, signal });
    if (v.pages > 0) {
      const mib = ((v.pages * this.state.pageSize) / 1048576).toFixed(1);
      this.opts.log(`storage: state vacuum: returned ${v.pages} free pages (${mib} MiB) to the file system in ${v.steps} steps${v.stopped ? '; stopped early (netpulse stopping)' : ''}`);
    }
    return r;
  }
}
